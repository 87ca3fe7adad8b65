import {describe, expect, it} from 'vitest';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore} from '../../source/model/pane-store.js';
import {QuietGap, quietLength} from '../../source/model/quiet-gap.js';

const start = Date.parse('2026-11-22T10:00:00Z');

function record(index: number): LogRecord {
	return {id: String(index), seq: index, runId: 'r-1', timestamp: new Date(start).toISOString(), level: 'INFO', message: `line ${index}`};
}

describe('quiet gaps', () => {
	it('are measured between arrivals, marked only before a live line, past the threshold', () => {
		const gap = new QuietGap(30);
		expect(gap.heard(start, true)).toBeUndefined();
		expect(gap.heard(start + 30_000, true)).toBeUndefined();
		expect(gap.heard(start + 61_000, true)).toBe(31_000);
		// A replayed line arriving after a pause is not marked, but the pause is measured from it.
		expect(gap.heard(start + 200_000, false)).toBeUndefined();
		expect(gap.heard(start + 210_000, true)).toBeUndefined();
		expect(gap.heard(start + 344_000, true)).toBe(134_000);
	});

	it('are off at 0', () => {
		const gap = new QuietGap(0);
		gap.heard(start, true);
		expect(gap.heard(start + 3_600_000, true)).toBeUndefined();
	});

	it('read as a reader of a scrollback wants them', () => {
		expect(quietLength(45_900)).toBe('45s');
		expect(quietLength(134_000)).toBe('2m14s');
		expect(quietLength(3_720_000)).toBe('1h02m');
		expect(quietLength(97_200_000)).toBe('1d03h');
	});

	it('land in the window as a quiet notice before the line, which filters never hide and draws dim', () => {
		const store = new PaneStore({quietMark: 30, clock: () => start});
		store.resize({rows: 10, width: 60});
		store.setTimestamps('none');
		store.append(record(1), {now: start, live: true});
		store.append(record(2), {now: start + 10_000, live: true});
		store.append(record(3), {now: start + 144_000, live: true});
		// Without an arrival (a test, a caller that does not know) nothing is measured.
		store.append(record(4));
		store.setFilter('line [14]');
		const rows = store.snapshot(start).rows;
		expect(rows.map((row) => row.text)).toEqual(['line 1', '── quiet 2m14s ──', 'line 4']);
		expect(rows[1]).toMatchObject({notice: true, quiet: true});
		const position = store.index.shown.at(1)!;
		expect(store.window.get(position)).toMatchObject({notice: true, quiet: true, message: 'quiet 2m14s ──'});
		expect(store.window.peek(position)!.quiet).toBe(true);
		expect(store.window.get(store.index.shown.at(0)!)!.quiet).toBeUndefined();
	});
});
