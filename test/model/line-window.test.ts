import {describe, expect, it} from 'vitest';
import {LineWindow, type WindowEntry} from '../../source/model/line-window.js';
import {LineIndex} from '../../source/model/line-index.js';

/** Line n of a run: id 1000 + n, seq n. */
function entry(n: number): WindowEntry {
	return {line: {timestamp: '2026-11-22T10:00:00Z', level: 'INFO', message: `line ${n}`, notice: false}, id: String(1000 + n), seq: n};
}

const range = (from: number, to: number) => Array.from({length: to - from + 1}, (_, index) => entry(from + index));

function messages(window: LineWindow): string[] {
	const out: string[] = [];
	for (let position = window.first; position < window.end; position++) {
		out.push(window.get(position)!.message);
	}

	return out;
}

function liveFrom(capacity: number, from: number, to: number): LineWindow {
	const window = new LineWindow(capacity);
	for (const next of range(from, to)) {
		window.append(next);
	}

	return window;
}

describe('LineWindow', () => {
	it('keeps the newest lines live, evicting the oldest, positions unchanged', () => {
		const window = liveFrom(3, 1, 5);
		expect(messages(window)).toEqual(['line 3', 'line 4', 'line 5']);
		expect([window.first, window.end, window.evicted]).toEqual([2, 5, 2]);
		expect(window.get(1)).toBeUndefined();
		expect(window.keyAt(4)).toBe(1005);
		expect([window.oldestId(), window.newestId()]).toEqual(['1003', '1005']);
		expect(() => new LineWindow(0)).toThrow(RangeError);
	});

	it('says how many lines of the run come before the oldest held, and which are held', () => {
		const window = liveFrom(1000, 50_001, 51_000);
		expect(window.earlierLines()).toBe(50_000);
		expect(window.heldRange()).toEqual({from: 50_001, to: 51_000, of: 51_000});
		// A stream without seq cannot tell.
		const plain = new LineWindow(10);
		plain.append({line: entry(1).line});
		expect(plain.earlierLines()).toBeUndefined();
		expect(plain.keyAt(0)).toBe(0);
	});

	it('fills before the oldest line from a history page, below position 0', () => {
		const window = liveFrom(10, 6, 8);
		// The page overlaps what is held (line 6): that line is not taken twice.
		expect(window.fillBefore(range(3, 6), {more: true})).toBe(3);
		expect(messages(window)).toEqual(['line 3', 'line 4', 'line 5', 'line 6', 'line 7', 'line 8']);
		expect(window.first).toBe(-3);
		expect(window.earlierLines()).toBe(2);
		window.fillBefore(range(1, 2), {more: false});
		expect(window.earlierLines()).toBe(0);
		expect(window.liveHeld).toBe(true);
		expect(window.holeBetween(-5, 2)).toBe(false);
	});

	it('fills before when full by dropping the newest end: live lines are then counted, not held', () => {
		const window = liveFrom(4, 5, 8);
		window.fillBefore(range(3, 4), {more: true});
		expect(messages(window)).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
		expect([window.dropped, window.liveHeld]).toEqual([2, false]);
		expect(window.append(entry(9))).toBeUndefined();
		expect(window.newerNotHeld).toBe(1);
		expect(window.heldRange()).toEqual({from: 3, to: 6, of: 9});
	});

	it('fills after the newest line, evicting the oldest, and is live again when the page reaches the end', () => {
		const window = liveFrom(4, 5, 8);
		window.fillBefore(range(3, 4), {more: true});
		expect(window.fillAfter(range(6, 8), true)).toBe(2);
		expect(messages(window)).toEqual(['line 5', 'line 6', 'line 7', 'line 8']);
		expect(window.liveHeld).toBe(false);
		window.fillAfter(range(9, 9), false);
		expect(window.liveHeld).toBe(true);
		expect(window.append(entry(10))).toBe(window.end - 1);
		expect(messages(window)).toEqual(['line 7', 'line 8', 'line 9', 'line 10']);
	});

	it('keeps a hole between a page from further back and the lines held, until an end is evicted past it', () => {
		const window = liveFrom(8, 50, 52);
		window.fillBefore(range(1, 3), {more: false, adjacent: false});
		expect(messages(window)).toEqual(['line 1', 'line 2', 'line 3', 'line 50', 'line 51', 'line 52']);
		// The hole lies between line 3 (position -1) and line 50 (position 0).
		expect(window.holeBetween(-1, 0)).toBe(true);
		expect(window.holeBetween(-3, -1)).toBe(false);
		expect(window.holeBetween(0, 2)).toBe(false);
		expect(window.earlierLines()).toBe(0);
		for (const next of range(53, 57)) {
			window.append(next);
		}

		// Lines 1-3 are evicted: the hole went with them, and 49 earlier lines are not held.
		expect(window.first).toBe(0);
		expect(window.holeBetween(-1, 4)).toBe(false);
		expect(window.earlierLines()).toBe(49);
	});

	it('drops a hole with the newest end that held it', () => {
		const window = liveFrom(6, 50, 51);
		window.fillBefore(range(1, 2), {more: true, adjacent: false});
		window.fillBefore(range(-3, 0).map((each, index) => ({...each, id: String(990 + index)})), {more: true});
		expect(window.holeBetween(-1, 0)).toBe(false);
		expect(messages(window).at(-1)).toBe('line 2');
	});
});

describe('LineIndex over a window', () => {
	it('keeps the filter and the hits right across fills at both ends', () => {
		const window = liveFrom(6, 11, 14);
		const index = new LineIndex(window);
		index.setFilter('[02468]$');
		index.setSearch('4');
		const shown = () => Array.from({length: index.shown.length}, (_, rank) => window.get(index.shown.at(rank)!)!.message);
		expect(shown()).toEqual(['line 12', 'line 14']);
		const first = window.first;
		window.fillBefore(range(9, 10), {more: true});
		index.prepended(window.first, first);
		expect(shown()).toEqual(['line 10', 'line 12', 'line 14']);
		expect(index.hits.length).toBe(1);
		index.appended(window.append(entry(15))!);
		index.appended(window.append(entry(16))!);
		// Full at six: lines 9 and 10 were evicted, and the index forgot them.
		expect(shown()).toEqual(['line 12', 'line 14', 'line 16']);
		// Filling before a full window drops the newest end, from the index too.
		const oldest = window.first;
		window.fillBefore(range(9, 10), {more: true});
		index.prepended(window.first, oldest);
		expect(shown()).toEqual(['line 10', 'line 12', 'line 14']);
		expect(index.hits.length).toBe(1);
	});

	it('does not join two shown lines across a hole: it says lines are missing between them', () => {
		const window = liveFrom(20, 50, 53);
		const index = new LineIndex(window);
		index.setFilter('line (2|3|51|53)$');
		const oldest = window.first;
		window.fillBefore(range(1, 3), {more: false, adjacent: false});
		index.prepended(window.first, oldest);
		expect(index.shown.length).toBe(4);
		// line 2, line 3 | hole | line 51, line 53
		expect([1, 2, 3].map((rank) => index.holeBefore(rank))).toEqual([false, true, false]);
	});

	it('holds a live line once when a page that reached the live end brought it first (the stream lagged)', () => {
		const window = liveFrom(10, 1, 10);
		window.fillBefore(range(1, 0), {more: true});
		// The window is away from live; the page after its newest brings it back, through line 14.
		window.dropFrom(window.end - 2);
		expect(window.liveHeld).toBe(false);
		window.fillAfter(range(9, 14), false);
		expect(window.liveHeld).toBe(true);
		expect(window.append(entry(13))).toBeUndefined();
		expect(window.append(entry(14))).toBeUndefined();
		expect(window.append(entry(15))).toBeDefined();
		expect(messages(window).slice(-4)).toEqual(['line 12', 'line 13', 'line 14', 'line 15']);
	});

	it('gives up the far side of a hole, below or above, and keeps its holes to what it holds', () => {
		const window = liveFrom(10, 51, 60);
		window.fillBefore(range(1, 3), {more: false, adjacent: false});
		// Full: the three newest made room.
		expect(messages(window)).toEqual(['line 1', 'line 2', 'line 3', ...range(51, 57).map((each) => each.line.message)]);
		const hole = window.holeAfter(window.first)!;
		expect(window.get(hole)!.message).toBe('line 51');
		expect(window.holeAtOrBefore(window.end - 1)).toBe(hole);
		expect(window.idAtOrBefore(hole - 1)).toBe('1003');
		window.dropFrom(hole);
		expect(messages(window)).toEqual(['line 1', 'line 2', 'line 3']);
		expect(window.holeAfter(window.first)).toBeUndefined();
		expect(window.earlierLines()).toBe(0);

		const other = liveFrom(10, 51, 60);
		other.fillBefore(range(1, 3), {more: false, adjacent: false});
		const above = other.holeAtOrBefore(other.end - 1)!;
		other.dropBelow(above);
		expect(messages(other)).toEqual(range(51, 57).map((each) => each.line.message));
		expect(other.holeAtOrBefore(other.end - 1)).toBeUndefined();
		expect(other.earlierLines()).toBe(50);
	});
});
