import {describe, expect, it} from 'vitest';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore} from '../../source/model/pane-store.js';
import type {ViewOptions} from '../../source/model/pane-viewport.js';

const view: ViewOptions = {rows: 10, width: 80, timestamps: 'none', now: Date.parse('2026-11-22T10:00:00Z')};

let seq = 0;
function record(level: Level, message: string, taskId?: string): LogRecord {
	seq++;
	return {id: String(seq), seq, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level, message, taskId};
}

/** A pane holding the lines of an automation: each labeled with its task. */
function storeWithLines(options: {ownLabel?: string} = {}): PaneStore {
	const store = new PaneStore(options);
	store.append(record('INFO', 'connect ok', 'extract'));
	store.append(record('ERROR', 'timeout talking to db', 'extract'));
	store.append(record('WARN', 'retry scheduled', 'load'));
	store.append(record('INFO', 'extract done', 'load'));
	return store;
}

const messages = (store: PaneStore) => store.snapshot(view).rows.map((row) => row.text);

describe('filter and search match the line as shown', () => {
	it('finds a line by its level word, which its message does not say', () => {
		const store = storeWithLines();
		store.setFilter('ERROR');
		expect(messages(store)).toEqual(['[extract] timeout talking to db']);
		store.setFilter('warn|error');
		expect(store.shownCount).toBe(2);
	});

	it('excludes by level word with !', () => {
		const store = storeWithLines();
		store.setFilter('!INFO');
		expect(messages(store)).toEqual(['[extract] timeout talking to db', '[load] retry scheduled']);
	});

	it('matches the [label] as shown and anchors on the message', () => {
		const store = storeWithLines();
		store.setFilter(String.raw`\[load\]`);
		expect(store.shownCount).toBe(2);
		store.setFilter('^timeout');
		expect(messages(store)).toEqual(['[extract] timeout talking to db']);
	});

	it('tests each new line as it arrives, not only on a re-scan', () => {
		const store = storeWithLines();
		store.setFilter('ERROR');
		store.append(record('ERROR', 'disk full', 'load'));
		store.append(record('INFO', 'disk ok', 'load'));
		expect(messages(store)).toEqual(['[extract] timeout talking to db', '[load] disk full']);
	});

	it('does not match the label a pane hides (its own task)', () => {
		const store = storeWithLines({ownLabel: 'extract'});
		store.setFilter('extract');
		// "[extract]" is not on screen in the task/extract pane; only the line that says it matches.
		expect(store.snapshot(view).rows.map((row) => row.text)).toEqual(['[load] extract done']);
	});

	it('searches the level word too, and marks it on screen', () => {
		const store = storeWithLines();
		store.setSearch('ERROR');
		expect(store.hitCount).toBe(1);
		expect(store.jumpToMatch(1, true)).not.toBe('none');
		expect(store.cursorLine()?.message).toBe('timeout talking to db');
		const rows = store.snapshot(view).rows;
		expect(rows.map((row) => Boolean(row.levelHit))).toEqual([false, true, false, false]);
	});
});
