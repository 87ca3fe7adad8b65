import {describe, expect, it} from 'vitest';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore} from '../../source/model/pane-store.js';

const now = Date.parse('2026-11-22T10:00:00Z');

function record(n: number, message = `line ${n}`): LogRecord {
	return {id: String(n), seq: n, runId: 'r-1', timestamp: new Date(now - 90_000).toISOString(), level: 'INFO', message};
}

/** A store of lines `from`..`to` at 80 columns and `rows` rows, times hidden. */
function storeWith(from: number, to: number, rows = 5, scrollback = 100): PaneStore {
	const store = new PaneStore({scrollback, clock: () => now});
	store.resize({rows, width: 80});
	store.setTimestamps('none');
	for (let n = from; n <= to; n++) {
		store.append(record(n));
	}

	return store;
}

const texts = (store: PaneStore) => store.snapshot(now).rows.map((row) => row.text);

describe('PaneViewport', () => {
	it('keeps the cursor line on screen when the screen gets shorter (seen at 200x60 → 80x24 after T)', () => {
		const store = storeWith(1, 100, 60);
		store.view.showFound(store.window.first + 49);
		expect(texts(store)).toContain('line 50');
		store.resize({rows: 20, width: 80});
		expect(store.cursorLine()?.message).toBe('line 50');
		expect(texts(store)).toContain('line 50');
		// Taller again: the cursor stays where it is, and the screen fills.
		store.resize({rows: 60, width: 80});
		expect(texts(store)).toContain('line 50');
		expect(texts(store)).toHaveLength(60);
	});

	it('is drawn at the size it was given; drawing and the clock signature change nothing', () => {
		const store = storeWith(1, 20, 4);
		expect(texts(store)).toEqual(['line 17', 'line 18', 'line 19', 'line 20']);
		store.top();
		store.setTimestamps('relative');
		expect(store.timeSignature(now)).toBe('1m ago  |1m ago  |1m ago  |1m ago  ');
		expect(store.timeSignature(now + 60_000)).toBe('2m ago  |2m ago  |2m ago  |2m ago  ');
		store.setTimestamps('none');
		// Half a page is half of the rows the layout gave, whatever was drawn in between.
		store.halfPage(1);
		expect(store.cursorLine()?.message).toBe('line 3');
		store.resize({rows: 10, width: 80});
		store.halfPage(1);
		expect(store.cursorLine()?.message).toBe('line 8');
	});

	it('pausing a paused pane keeps its count of new lines (P with one pane paused)', () => {
		const store = storeWith(1, 10);
		store.setPaused(true);
		for (let n = 11; n <= 38; n++) {
			store.append(record(n));
		}

		expect(store.newWhilePaused).toBe(28);
		store.setPaused(true);
		expect(store.newWhilePaused).toBe(28);
		expect(texts(store).at(-1)).toBe('line 10');
	});

	it('f / PgDn onto the newest line follows live again; paused, they do not', () => {
		const store = storeWith(1, 12);
		store.top();
		store.page(1);
		expect(store.following).toBe(false);
		store.page(1);
		expect(store.following).toBe(true);
		store.append(record(13));
		expect(texts(store).at(-1)).toBe('line 13');
		store.setPaused(true);
		store.top();
		store.page(1);
		store.page(1);
		store.page(1);
		expect(store.following).toBe(false);
		expect(store.paused).toBe(true);
	});

	it('shows where lines are not held: above the first, and between two lines across a hole', () => {
		const store = storeWith(50, 52, 8);
		store.fillBefore({records: [record(1), record(2)], more: false}, false);
		expect(texts(store)).toEqual(['line 1', 'line 2', '── lines not held here', 'line 50', 'line 51', 'line 52']);
		// A filter that skips across the hole still says it is there.
		store.setFilter('line (1|51)$');
		expect(texts(store)).toEqual(['line 1', '── lines not held here', 'line 51']);
		store.setFilter('');
		// Scrolling counts the marker's row: the top of a 3-row screen shows it and two lines.
		store.resize({rows: 3, width: 80});
		store.top();
		store.page(1);
		expect(texts(store)).toEqual(['── lines not held here', 'line 50', 'line 51']);
	});

	it('filling before a full window stops following and keeps the view on held lines', () => {
		const store = storeWith(11, 20, 5, 10);
		expect(store.following).toBe(true);
		store.fillBefore({records: [8, 9, 10].map((n) => record(n)), more: true});
		expect(store.following).toBe(false);
		expect(store.window.liveHeld).toBe(false);
		expect(texts(store).at(-1)).toBe('line 17');
		// Live lines go on arriving: counted, not held, and the view does not move.
		store.append(record(21));
		expect(texts(store).at(-1)).toBe('line 17');
		expect(store.window.newerNotHeld).toBe(1);
		store.top();
		expect(texts(store)[0]).toBe('── 7 earlier lines not held');
	});

	it('fills after the newest held line until the live end, where it may follow again', () => {
		const store = storeWith(11, 20, 5, 10);
		store.fillBefore({records: [9, 10].map((n) => record(n)), more: true});
		store.fillAfter({records: [19, 20].map((n) => record(n)), more: false});
		expect(store.window.liveHeld).toBe(true);
		store.scroll(1000);
		expect(store.following).toBe(true);
		expect(texts(store).at(-1)).toBe('line 20');
	});

	it('shows the start of a line taller than the pane, its last row saying it goes on', () => {
		const store = storeWith(1, 3, 5);
		// 1 MiB of text in numbered words: which rows are on screen shows which part of the line they are.
		const words = Array.from({length: 120_000}, (_, index) => `w${index}`).join(' ');
		store.append(record(4, words));
		const rows = texts(store);
		expect(rows).toHaveLength(5);
		expect(rows[0]).toMatch(/^w0 w1 w2 /);
		expect(rows.slice(0, 4).every((row) => !row.startsWith('…'))).toBe(true);
		expect(rows[4]).toBe(`… the line goes on (${words.length.toLocaleString('en-US')} characters in all)`);
		// Scrolled onto the line before it, the huge line still shows from its start below it.
		store.scroll(-1);
		const scrolled = texts(store);
		expect(scrolled[scrolled.indexOf('line 3') + 1]).toMatch(/^w0 w1 w2 /);
	});
});
