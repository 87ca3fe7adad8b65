import {describe, expect, it} from 'vitest';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore, type PaneStoreOptions, type ViewSize} from '../../source/model/pane-store.js';

const now = Date.parse('2026-11-22T10:00:00Z');
const view: ViewSize = {rows: 5, width: 80};

/** A store drawn at 80x5 with no time column, on a fixed clock. */
function makeStore(options: PaneStoreOptions = {}): PaneStore {
	const store = new PaneStore({...options, clock: () => now});
	store.resize(view);
	store.setTimestamps('none');
	return store;
}

function record(index: number, level: Level = 'INFO', message = `line ${index}`): LogRecord {
	return {id: String(index), seq: index, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level, message};
}

function fill(store: PaneStore, count: number, level: (index: number) => Level = () => 'INFO'): void {
	for (let index = 1; index <= count; index++) {
		store.append(record(index, level(index)));
	}
}

/** The text of the rows on screen, at `size` when given (the workspace's layout sets it). */
function texts(store: PaneStore, size?: ViewSize): string[] {
	if (size) {
		store.resize(size);
	}

	return store.snapshot(now).rows.map((row) => row.text);
}

describe('PaneStore scrollback', () => {
	it('keeps the newest lines and counts the evicted ones', () => {
		const store = makeStore({scrollback: 3});
		fill(store, 5);
		expect(store.window.size).toBe(3);
		expect(store.window.evicted).toBe(2);
		// The first row says what the pane does not hold (the records' seq tells how much).
		expect(texts(store)).toEqual(['── 2 earlier lines not held', 'line 3', 'line 4', 'line 5']);
	});

	it('drops evicted lines from the filter index too', () => {
		const store = makeStore({scrollback: 4});
		store.setFilter('1');
		fill(store, 12);
		// Of lines 9..12 held, only 10, 11 and 12 contain "1".
		expect(texts(store)).toEqual(['── 8 earlier lines not held', 'line 10', 'line 11', 'line 12']);
		expect(store.shownCount).toBe(3);
	});
});

describe('PaneStore filter and level', () => {
	it('filters by regex, smart case, live on new lines', () => {
		const store = makeStore();
		fill(store, 12);
		store.setFilter('line 1\\d');
		expect(texts(store)).toEqual(['line 10', 'line 11', 'line 12']);
		store.append(record(13));
		store.append(record(20));
		expect(texts(store)).toEqual(['line 10', 'line 11', 'line 12', 'line 13']);
		store.setFilter('LINE 1');
		expect(texts(store)).toEqual([]);
	});

	it('excludes with a leading !', () => {
		const store = makeStore();
		fill(store, 4);
		store.setFilter('!line [13]');
		expect(texts(store)).toEqual(['line 2', 'line 4']);
	});

	it('reports an invalid regex and keeps the last valid filter', () => {
		const store = makeStore();
		fill(store, 4);
		store.setFilter('line [12]');
		store.setFilter('line [12');
		expect(store.filterError).toMatch(/^invalid regex: /);
		expect(texts(store)).toEqual(['line 1', 'line 2']);
		store.setFilter('');
		expect(store.filterError).toBeUndefined();
		expect(texts(store)).toHaveLength(4);
	});

	it('raises and lowers the level floor, FATAL always shown', () => {
		const levels: Level[] = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
		const store = makeStore();
		fill(store, 6, (index) => levels[index - 1]!);
		const shown = () => store.snapshot(now).rows.map((row) => row.level);
		store.stepLevel(1);
		expect(store.levelFloor).toBe('DEBUG');
		expect(shown()).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL']);
		store.stepLevel(1);
		store.stepLevel(1);
		store.stepLevel(1);
		expect(store.levelFloor).toBe('ERROR');
		expect(shown()).toEqual(['ERROR', 'FATAL']);
		// FATAL is a floor too, and + there stays there (it went down to ERROR).
		store.stepLevel(1);
		store.stepLevel(1);
		expect(store.levelFloor).toBe('FATAL');
		expect(shown()).toEqual(['FATAL']);
		store.setLevelFloor(undefined);
		store.stepLevel(-1);
		expect(store.levelFloor).toBeUndefined();
		expect(shown()).toHaveLength(5);
	});

	it('never hides notices', () => {
		const store = makeStore({level: 'ERROR'});
		fill(store, 2);
		store.appendNotice('run r-2 started');
		store.setFilter('nothing matches this');
		expect(texts(store)).toEqual(['── run r-2 started']);
	});

	it('re-scans 100,000 lines for a new filter', () => {
		const store = makeStore({scrollback: 100_000});
		fill(store, 100_000);
		store.setFilter('line 9999\\d');
		expect(store.shownCount).toBe(10);
		expect(texts(store, {...view, rows: 2})).toEqual(['line 99998', 'line 99999']);
	});
});

describe('PaneStore search', () => {
	it('finds run markers by their text (── run r-40 failed in 3s), not by a level they do not show', () => {
		const store = makeStore();
		fill(store, 3);
		store.appendNotice('run r-40 failed in 3s');
		fill(store, 2);
		store.setSearch('failed');
		expect(store.hitCount).toBe(1);
		store.jumpToMatch(-1);
		expect(store.cursorLine()?.message).toBe('run r-40 failed in 3s');
		store.setSearch('INFO');
		expect(store.hitCount).toBe(5);
	});

	it('finds matches without hiding lines and jumps with wrap-around', () => {
		const store = makeStore();
		fill(store, 30);
		store.setSearch('line 2\\d');
		expect(store.hitCount).toBe(10);
		expect(store.shownCount).toBe(30);
		expect(store.jumpToMatch(1)).not.toBe('none');
		expect(store.cursorLine()?.message).toBe('line 20');
		expect(store.following).toBe(false);
		store.jumpToMatch(-1);
		expect(store.cursorLine()?.message).toBe('line 29');
		store.jumpToMatch(1);
		expect(store.cursorLine()?.message).toBe('line 20');
		store.jumpToMatch(1);
		expect(store.cursorLine()?.message).toBe('line 21');
	});

	it('with the cursor counted, a backward jump stays on a hit under the cursor and else takes the one above', () => {
		const store = makeStore();
		fill(store, 35);
		store.setSearch('line (2\\d|34)');
		expect(store.jumpToMatch(-1, true)).not.toBe('none');
		expect(store.cursorLine()?.message).toBe('line 34');
		store.setSearch('line 2\\d');
		store.jumpToMatch(-1, true);
		expect(store.cursorLine()?.message).toBe('line 29');
	});

	it('highlights match offsets on screen', () => {
		const store = makeStore();
		store.append(record(1, 'INFO', 'abc abc'));
		store.setSearch('bc');
		expect(store.snapshot(now).rows[0]!.highlights).toEqual([
			[1, 3],
			[5, 7],
		]);
	});

	it('searches only the lines the filter shows', () => {
		const store = makeStore();
		fill(store, 30);
		store.setFilter('!line 2');
		store.setSearch('line 2');
		expect(store.hitCount).toBe(0);
		expect(store.jumpToMatch(1)).toBe('none');
	});

	it('jumps between ERROR lines', () => {
		const store = makeStore();
		fill(store, 20, (index) => (index % 7 === 0 ? 'ERROR' : 'INFO'));
		expect(store.jumpToError(-1)).toBe(true);
		expect(store.cursorLine()?.message).toBe('line 14');
		store.jumpToError(-1);
		expect(store.cursorLine()?.message).toBe('line 7');
		expect(store.jumpToError(-1)).toBe(false);
		store.jumpToError(1);
		expect(store.cursorLine()?.message).toBe('line 14');
	});
});

describe('PaneStore pause, follow and scroll', () => {
	it('freezes the screen while paused, counts new lines, and jumps to live on resume', () => {
		const store = makeStore();
		fill(store, 10);
		store.togglePause();
		store.append(record(11));
		store.append(record(12));
		expect(store.newWhilePaused).toBe(2);
		expect(texts(store)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
		store.togglePause();
		expect(store.paused).toBe(false);
		expect(store.newWhilePaused).toBe(0);
		expect(texts(store)).toEqual(['line 8', 'line 9', 'line 10', 'line 11', 'line 12']);
	});

	it('counts only lines the filter lets through while paused', () => {
		const store = makeStore();
		store.setFilter('keep');
		store.setPaused(true);
		store.append(record(1, 'INFO', 'keep'));
		store.append(record(2, 'INFO', 'drop'));
		expect(store.newWhilePaused).toBe(1);
	});

	it('stops following when scrolled up and follows again with followLive', () => {
		const store = makeStore();
		fill(store, 10);
		store.scroll(-1);
		expect(store.following).toBe(false);
		expect(store.cursorLine()?.message).toBe('line 9');
		store.append(record(11));
		const snapshot = store.snapshot(now);
		expect(snapshot.rows.map((row) => row.text)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
		expect(snapshot.below).toBe(1);
		expect(snapshot.rows.find((row) => row.cursor)?.text).toBe('line 9');
		store.scroll(-6);
		expect(texts(store)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7']);
		store.followLive();
		expect(store.following).toBe(true);
		expect(texts(store)).toEqual(['line 7', 'line 8', 'line 9', 'line 10', 'line 11']);
	});

	it('goes to the top and pages by screens', () => {
		const store = makeStore();
		fill(store, 20);
		store.snapshot(now);
		store.top();
		expect(texts(store)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
		store.page(1);
		expect(texts(store)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
		store.page(1);
		store.page(-1);
		expect(texts(store)).toEqual(['line 6', 'line 7', 'line 8', 'line 9', 'line 10']);
	});

	it('scrolls by screen rows when lines wrap', () => {
		const store = makeStore();
		for (let index = 1; index <= 6; index++) {
			store.append(record(index, 'INFO', `${'x'.repeat(30)} ${index}`));
		}

		// Width 26 leaves 20 columns for text after the level column: every line takes two rows.
		const narrow = {rows: 4, width: 26};
		store.resize(narrow);
		expect(store.snapshot(now).rows).toHaveLength(4);
		store.resize(narrow);
		store.top();
		expect(texts(store, narrow)).toEqual(['x'.repeat(20), `${'x'.repeat(10)} 1`, 'x'.repeat(20), `${'x'.repeat(10)} 2`]);
		store.page(1);
		expect(texts(store, narrow).at(-1)).toBe(`${'x'.repeat(10)} 4`);
	});

	it('scrolls sideways with wrap off', () => {
		const store = makeStore();
		store.append(record(1, 'INFO', 'abcdefghij'.repeat(20)));
		store.toggleWrap();
		// A row that goes on past the edge says so in its last column.
		expect(texts(store)[0]).toMatch(/^abcdefghij.*›$/);
		store.scrollSideways(8);
		expect(texts(store)[0]).toMatch(/^ijabcdef.*›$/);
		// l stops where the widest line on screen ends, and $ goes there: no blank rows past every end.
		store.scrollSideways(10_000);
		const end = store.hscroll;
		expect(end).toBeLessThan(200);
		expect(texts(store)[0]).toMatch(/hij$/);
		store.scrollToLineEdge(false);
		expect(store.hscroll).toBe(0);
		store.scrollToLineEdge(true);
		expect(store.hscroll).toBe(end);
		store.toggleWrap();
		expect(store.hscroll).toBe(0);
	});
});

describe('PaneStore paused under a flood', () => {
	it('shows the oldest lines still held once the frozen ones are evicted, never an empty pane', () => {
		const store = makeStore({scrollback: 10});
		fill(store, 10);
		store.snapshot(now);
		store.setPaused(true);
		for (let index = 11; index <= 40; index++) {
			store.append(record(index));
		}

		expect(texts(store)).toEqual(['── 30 earlier lines not held', 'line 31', 'line 32', 'line 33', 'line 34']);
		expect(store.newWhilePaused).toBe(5);
	});
});

describe('PaneStore moves as less and vim users expect', () => {
	const tall: ViewSize = {...view, rows: 9};
	const cursorText = (store: PaneStore) => store.cursorLine()?.message;

	it('E from live follow finds the newest ERROR even when it is the last line', () => {
		const store = makeStore();
		fill(store, 20, (index) => (index === 20 || index === 5 ? 'ERROR' : 'INFO'));
		store.resize(tall);
		expect(store.jumpToError(-1)).toBe(true);
		expect(cursorText(store)).toBe('line 20');
		expect(store.jumpToError(-1)).toBe(true);
		expect(cursorText(store)).toBe('line 5');
	});

	it('puts a found line a third of the way down, so the lines after it show', () => {
		const store = makeStore();
		fill(store, 40, (index) => (index === 10 ? 'ERROR' : 'INFO'));
		store.resize(tall);
		store.top();
		store.resize(tall);
		expect(store.jumpToError(1)).toBe(true);
		const rows = texts(store, tall);
		expect(rows.indexOf('line 10')).toBe(2);
		expect(rows.at(-1)).toBe('line 16');
	});

	it('Ctrl-D and Ctrl-U move the view half a screen with the cursor; reaching the end follows live again', () => {
		const store = makeStore();
		fill(store, 40);
		store.resize(tall);
		store.top();
		store.resize(tall);
		store.halfPage(1);
		expect(texts(store, tall)[0]).toBe('line 5');
		expect(cursorText(store)).toBe('line 5');
		store.halfPage(-1);
		expect(texts(store, tall)[0]).toBe('line 1');
		for (let step = 0; step < 10; step++) {
			store.halfPage(1);
			store.resize(tall);
		}

		expect(store.following).toBe(true);
	});

	it('j onto the newest line follows live again; paused, it does not', () => {
		const store = makeStore();
		fill(store, 12);
		store.resize(tall);
		store.scroll(-3);
		expect(store.following).toBe(false);
		store.scroll(3);
		expect(store.following).toBe(true);
		store.setPaused(true);
		store.scroll(-2);
		store.scroll(5);
		expect(store.following).toBe(false);
	});

	it('says where the cursor is among the hits, and when a jump wrapped around', () => {
		const store = makeStore();
		fill(store, 30, (index) => (index % 10 === 0 ? 'WARN' : 'INFO'));
		store.setSearch('WARN');
		store.resize(tall);
		store.top();
		expect(store.jumpToMatch(1)).toBe('found');
		expect(store.hitPlace()).toEqual({at: 1, of: 3});
		store.jumpToMatch(1);
		expect(store.jumpToMatch(1)).toBe('found');
		expect(store.hitPlace()).toEqual({at: 3, of: 3});
		expect(store.jumpToMatch(1)).toBe('wrapped');
		expect(store.hitPlace()).toEqual({at: 1, of: 3});
	});
});
