import {describe, expect, it} from 'vitest';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore, type PaneStoreOptions} from '../../source/model/pane-store.js';
import {char} from '../../source/model/viewer-key.js';
import {runList, viewerOn} from './run-lists.js';

const now = Date.parse('2026-11-22T10:00:00Z');

function makeStore(options: PaneStoreOptions = {}): PaneStore {
	const store = new PaneStore({...options, clock: () => now});
	store.resize({rows: 40, width: 80});
	store.setTimestamps('none');
	return store;
}

function record(index: number, message = `line ${index}`, level: Level = 'INFO'): LogRecord {
	return {id: String(index), seq: index, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level, message};
}

/** Lines 1..count; the ones in `hits` say "hit". */
function fill(store: PaneStore, count: number, hits: number[], from = 1): void {
	for (let index = from; index < from + count; index++) {
		store.append(record(index, hits.includes(index) ? `hit ${index}` : `line ${index}`));
	}
}

function texts(store: PaneStore): string[] {
	return store.snapshot(now).rows.map((row) => row.text);
}

/** What `shown` must be, worked out the slow way over every held line: grep -C's rule, holes kept. */
function expectedShown(store: PaneStore, lines: number, narrowing: (position: number) => boolean): number[] {
	const {window} = store;
	const matched: number[] = [];
	for (let position = window.first; position < window.end; position++) {
		if (narrowing(position)) {
			matched.push(position);
		}
	}

	const shown: number[] = [];
	for (let position = window.first; position < window.end; position++) {
		const near = matched.some((match) => {
			if (match === position) {
				return true;
			}

			if (window.get(match)!.notice || Math.abs(match - position) > lines) {
				return false;
			}

			return !window.holeBetween(Math.min(match, position), Math.max(match, position));
		});
		if (near) {
			shown.push(position);
		}
	}

	return shown;
}

function shownPositions(store: PaneStore): number[] {
	const {shown} = store.index;
	return Array.from({length: shown.length}, (_, rank) => shown.at(rank)!);
}

describe('context around filter matches (C)', () => {
	it('cycles 0, 3, 10 and shows grep -C groups with -- between them', () => {
		const store = makeStore();
		fill(store, 30, [5, 7, 20]);
		store.setFilter('hit');
		expect(texts(store)).toEqual(['hit 5', 'hit 7', 'hit 20']);
		expect(store.cycleContext()).toBe(3);
		// 5 and 7 share a group (2..10); 20's group is 17..23.
		expect(texts(store)).toEqual([
			'line 2', 'line 3', 'line 4', 'hit 5', 'line 6', 'hit 7', 'line 8', 'line 9', 'line 10',
			'--',
			'line 17', 'line 18', 'line 19', 'hit 20', 'line 21', 'line 22', 'line 23',
		]);
		// Context rows are marked as such (drawn dim); matches and the separator are not context.
		const rows = store.snapshot(now).rows;
		expect(rows.filter((row) => row.context).map((row) => row.text)).not.toContain('hit 5');
		expect(rows.find((row) => row.text === 'line 6')?.context).toBe(true);
		expect(rows.find((row) => row.text === '--')?.quiet).toBe(true);
		expect(store.matchCount).toBe(3);
		expect(store.cycleContext()).toBe(10);
		expect(texts(store)[0]).toBe('line 1');
		expect(texts(store)).not.toContain('--');
		expect(store.cycleContext()).toBe(0);
		expect(texts(store)).toEqual(['hit 5', 'hit 7', 'hit 20']);
	});

	it('means nothing without a filter or floor, and comes back with one', () => {
		const store = makeStore();
		fill(store, 10, [5]);
		store.cycleContext();
		expect(store.shownCount).toBe(10);
		expect(texts(store)).not.toContain('--');
		store.setLevelFloor('WARN');
		store.append(record(11, 'boom', 'ERROR'));
		fill(store, 5, [], 12);
		expect(texts(store)).toEqual(['line 8', 'line 9', 'line 10', 'boom', 'line 12', 'line 13', 'line 14']);
	});

	it('grows with live lines: context after a match, and before a new one', () => {
		const store = makeStore();
		store.setFilter('hit');
		store.cycleContext();
		fill(store, 12, [3]);
		expect(texts(store)).toEqual(['line 1', 'line 2', 'hit 3', 'line 4', 'line 5', 'line 6']);
		fill(store, 4, [15], 13);
		expect(texts(store)).toEqual(['line 1', 'line 2', 'hit 3', 'line 4', 'line 5', 'line 6', '--', 'line 12', 'line 13', 'line 14', 'hit 15', 'line 16']);
	});

	it('notices pass the filter but bring no context', () => {
		const store = makeStore();
		store.setFilter('hit');
		store.cycleContext();
		fill(store, 5, []);
		store.appendNotice('run r-2 started');
		fill(store, 5, [], 6);
		expect(texts(store)).toEqual(['── run r-2 started']);
	});

	it('matches a brute force through eviction, fills at both ends, holes and filter changes', () => {
		const hit = (index: number) => index % 17 === 0 || index % 29 === 3;
		const store = makeStore({scrollback: 120});
		store.setFilter('hit');
		store.cycleContext();
		const narrowing = (position: number) => store.window.get(position)!.notice || /hit/.test(store.window.get(position)!.message);
		const check = (lines: number) => {
			expect(shownPositions(store)).toEqual(expectedShown(store, lines, narrowing));
		};

		for (let index = 1000; index < 1200; index++) {
			store.append(record(index, hit(index) ? `hit ${index}` : `line ${index}`));
			if (index % 37 === 0) {
				store.appendNotice(`notice at ${index}`);
			}
		}

		check(3);
		// A page before the oldest held, adjacent, then one from further back (a hole).
		const page = (from: number, to: number) => ({records: Array.from({length: to - from}, (_, at) => record(from + at, hit(from + at) ? `hit ${from + at}` : `line ${from + at}`)), more: true});
		store.fillBefore(page(1060, 1080));
		check(3);
		store.fillBefore(page(900, 930), false);
		check(3);
		store.cycleContext();
		check(10);
		store.dropBelow(store.window.first + 5);
		check(10);
		store.dropFrom(store.window.end - 7);
		check(10);
		store.fillAfter({records: page(1500, 1530).records, more: true}, false);
		check(10);
		store.setFilter('hit 1');
		const narrowed = (position: number) => store.window.get(position)!.notice || /hit 1/.test(store.window.get(position)!.message);
		expect(shownPositions(store)).toEqual(expectedShown(store, 10, narrowed));
	});

	it('is rebuilt in slices with the filter, and ends where the brute force does', async () => {
		const store = makeStore({scrollback: 20_000, slices: {sliceMs: 1, wholeBelow: 500, chunkLines: 100}});
		for (let index = 1; index <= 5000; index++) {
			store.append(record(index, index % 250 === 0 ? `hit ${index}` : `line ${index}`));
		}

		store.cycleContext();
		store.setFilter('hit');
		await store.indexed();
		const narrowing = (position: number) => /hit/.test(store.window.get(position)!.message);
		expect(shownPositions(store)).toEqual(expectedShown(store, 3, narrowing));
		expect(store.shownCount).toBe(20 * 7 - 3);
	});
});

describe('context across [ and ]', () => {
	it('a pane put in place of another (an earlier run) keeps its context, as it keeps its filter', async () => {
		const {access, answerAll} = runList();
		const {workspace, feed, streams} = viewerOn('automation/etl', access);
		streams[1]!.log('started', 'INFO', {runId: 'r-10', automationId: 'etl'});
		workspace.focused!.store.setFilter('load');
		feed(char('C'));
		expect(workspace.focused!.store.context).toBe(3);
		feed(char('['));
		await answerAll();
		expect(workspace.focused!.source).toBe('automation/etl?run=r-9');
		expect(workspace.focused!.store.context).toBe(3);
		expect(workspace.focused!.store.index.contextShown).toBe(3);
	});
});
