import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {char, named} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {until} from '../helpers/until.js';
import {memoryWorkspace} from '../ui/memory-stream.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore, type PaneStoreOptions} from '../../source/model/pane-store.js';

const now = Date.parse('2026-11-22T10:00:00Z');

function makeStore(options: PaneStoreOptions = {}): PaneStore {
	const store = new PaneStore({...options, clock: () => now});
	store.resize({rows: 10, width: 40});
	store.setTimestamps('none');
	return store;
}

function record(index: number, message = `line ${index}`): LogRecord {
	return {id: String(index), seq: index, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level: 'INFO', message};
}

function fill(store: PaneStore, from: number, to: number): void {
	for (let index = from; index <= to; index++) {
		store.append(record(index, index % 2 === 0 ? `even ${index}` : `odd ${index}`));
	}
}

/** The message under the cursor. */
const cursor = (store: PaneStore) => store.cursorLine()?.message;

/** Marks the lines whose messages are given, moving the cursor there with g and j. */
function markLines(store: PaneStore, messages: string[]): void {
	for (const message of messages) {
		store.top();
		while (cursor(store) !== message) {
			store.scroll(1);
		}

		expect(store.toggleMark()).toBe(true);
	}
}

describe('marks (m, u, U)', () => {
	it('m marks and unmarks the cursor line; u / U go to the next and previous mark', () => {
		const store = makeStore();
		fill(store, 1, 20);
		markLines(store, ['even 4', 'odd 9', 'even 16']);
		expect(store.marks.size).toBe(3);
		store.top();
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('even 4');
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('odd 9');
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('even 16');
		expect(store.jumpToMark(1)).toBe(false);
		expect(store.jumpToMark(-1)).toBe(true);
		expect(cursor(store)).toBe('odd 9');
		// Unmarking the cursor line.
		expect(store.toggleMark()).toBe(false);
		expect(store.marks.size).toBe(2);
		expect(store.jumpToMark(-1)).toBe(true);
		expect(cursor(store)).toBe('even 4');
		// Following live, U finds the newest mark.
		store.followLive();
		expect(store.jumpToMark(-1)).toBe(true);
		expect(cursor(store)).toBe('even 16');
	});

	it('draws a gutter while any line is marked, the mark on the marked line', () => {
		const store = makeStore();
		fill(store, 1, 5);
		expect(store.snapshot(now).gutter).toBe(false);
		markLines(store, ['odd 3']);
		const snapshot = store.snapshot(now);
		expect(snapshot.gutter).toBe(true);
		expect(snapshot.rows.filter((row) => row.marked).map((row) => row.text)).toEqual(['odd 3']);
		// The gutter takes a column from the text: a 40-column pane has 39 for the row.
		store.toggleMark();
		expect(store.snapshot(now).gutter).toBe(false);
	});

	it('survive filter changes: a mark hidden by the filter is stepped over, and back with it', () => {
		const store = makeStore();
		fill(store, 1, 20);
		markLines(store, ['even 4', 'odd 9', 'even 16']);
		store.setFilter('even');
		store.top();
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('even 4');
		// odd 9 is hidden: u goes on to 16.
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('even 16');
		expect(store.marks.size).toBe(3);
		store.setFilter('');
		store.top();
		store.jumpToMark(1);
		store.jumpToMark(1);
		expect(cursor(store)).toBe('odd 9');
		// Context lines can be marked and jumped to too.
		store.setFilter('16');
		store.cycleContext();
		store.top();
		expect(store.jumpToMark(1)).toBe(true);
		expect(cursor(store)).toBe('even 16');
	});

	it('last while the line is held: evicted or dropped, a line takes its mark with it', () => {
		const store = makeStore({scrollback: 10});
		fill(store, 1, 10);
		markLines(store, ['odd 1', 'even 6', 'even 10']);
		expect(store.marks.size).toBe(3);
		fill(store, 11, 12);
		// Lines 1 and 2 evicted.
		expect(store.marks.size).toBe(2);
		expect([...store.marks.positions()].map((position) => store.window.get(position)!.message)).toEqual(['even 6', 'even 10']);
		// The newest lines dropped (the far side of a hole) and others put at their positions start unmarked.
		const at10 = store.window.positionOf('10')!;
		store.dropFrom(store.window.positionOf('9')!);
		expect(store.marks.has(at10)).toBe(false);
		store.fillAfter({records: [record(9, 'again 9'), record(10, 'again 10')], more: true});
		expect(store.window.get(at10)!.message).toBe('again 10');
		expect(store.marks.has(at10)).toBe(false);
		expect(store.marks.size).toBe(1);
	});

	it('are what a save (S) writes, once any line is marked; every shown line again once none is', async () => {
		const work = mkdtempSync(path.join(tmpdir(), 'dbtail-marks-'));
		try {
			const {workspace, streams} = memoryWorkspace();
			workspace.open('task/extract');
			workspace.focusIndex(0);
			const shell = {quit: () => undefined, redraw: () => undefined, suspend: () => undefined, copy: async () => ({ok: true, message: ''})};
			const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
			const stream = streams.get('task/extract')!;
			for (const message of ['one', 'two', 'three', 'four']) {
				stream.log(message);
			}

			const save = async (name: string) => {
				const file = path.join(work, name);
				viewer.feed([char('S'), {kind: 'ctrl', char: 'u'}, ...Array.from(file, (each) => char(each)), named('enter')]);
				await until(() => (workspace.message?.text ?? '').startsWith('wrote'), 'the save to end');
				return readFileSync(file, 'utf8');
			};

			// Up from live: three, marked; then one.
			viewer.feed([char('k'), char('m'), char('k'), char('k'), char('m')]);
			expect(workspace.focused!.store.marks.size).toBe(2);
			expect((await save('marked.log')).split('\n').filter(Boolean).map((line) => line.split('  ').at(-1))).toEqual(['one', 'three']);
			// The marked lines were asked for: nothing of the run is said to be missing from them.
			expect(workspace.message?.text).toMatch(/^wrote 2 marked lines to \S+marked\.log$/);
			viewer.feed([char('m'), char('u'), char('m')]);
			expect(workspace.focused!.store.marks.size).toBe(0);
			expect((await save('all.log')).split('\n').filter(Boolean)).toHaveLength(4);
		} finally {
			rmSync(work, {recursive: true, force: true});
		}
	});
});
