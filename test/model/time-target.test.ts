import {describe, expect, it} from 'vitest';
import type {GoToOutcome} from '../../source/model/line-target.js';
import {outcomeText} from '../../source/model/time-jump.js';
import {parseTimeTarget, timeLabel} from '../../source/model/time-target.js';

/*
 * What a time typed at `T` means. Clock times are local, as the pane's absolute timestamps are, so the
 * expectations are built with local Date constructors and hold in any zone the tests run in.
 */

const local = (...parts: [number, number, number, number, number, number?, number?]) => new Date(...parts).getTime();
/** The cursor line's time: 2026-11-20 09:12 local; now: the day after, 08:00. */
const CURSOR = local(2026, 10, 20, 9, 12, 0);
const NOW = local(2026, 10, 21, 8, 0, 0);
const read = (text: string) => parseTimeTarget(text, CURSOR, NOW);
/** The time read, or NaN where the text was refused. */
const timeOf = (text: string) => {
	const target = read(text);
	return 'time' in target ? target.time : Number.NaN;
};

describe('a time typed at T', () => {
	it('reads a clock time as local time on the day of the cursor line, named with that day when it is not today', () => {
		expect(read('14:05')).toEqual({time: local(2026, 10, 20, 14, 5, 0), label: '2026-11-20 14:05:00'});
		expect(read(' 14:05:30 ')).toEqual({time: local(2026, 10, 20, 14, 5, 30), label: '2026-11-20 14:05:30'});
		expect(read('9:05:30.25')).toEqual({time: local(2026, 10, 20, 9, 5, 30, 250), label: '2026-11-20 09:05:30.250'});
		// On today's lines the day goes without saying.
		expect(parseTimeTarget('07:30', NOW, NOW)).toEqual({time: local(2026, 10, 21, 7, 30, 0), label: '07:30:00'});
	});

	it('reads -10m, -2h, -30s, -1d (and 10m, as --since does) back from now', () => {
		expect(read('-10m')).toEqual({time: NOW - 600_000, label: '07:50:00'});
		expect(read('-2h')).toEqual({time: NOW - 7_200_000, label: '06:00:00'});
		expect(timeOf('-30s')).toBe(NOW - 30_000);
		expect(read('-1d')).toEqual({time: NOW - 86_400_000, label: '2026-11-20 08:00:00'});
		expect(timeOf('10m')).toBe(NOW - 600_000);
		expect(timeOf('-1.5h')).toBe(NOW - 5_400_000);
	});

	it('reads an ISO time, with its zone, or local without one', () => {
		expect(timeOf('2026-11-20T14:05:00Z')).toBe(Date.parse('2026-11-20T14:05:00Z'));
		expect(timeOf('2026-11-20T14:05:00+02:00')).toBe(Date.parse('2026-11-20T12:05:00Z'));
		expect(timeOf('2026-11-20T14:05:00')).toBe(local(2026, 10, 20, 14, 5, 0));
	});

	it('names what is not a time, quoting it harmlessly and briefly, and says what is', () => {
		const forms = '(use 14:05, 14:05:30, -10m, -2h or an ISO time)';
		expect(read('tomorrow')).toEqual({error: `not a time: "tomorrow" ${forms}`});
		expect(read('25:00')).toEqual({error: `not a time: "25:00" ${forms}`});
		expect(read('14:60')).toEqual({error: `not a time: "14:60" ${forms}`});
		expect(read('2026-02-30T00:00:00Z')).toEqual({error: `not a time: "2026-02-30T00:00:00Z" ${forms}`});
		expect(read('-10x')).toEqual({error: `not a time: "-10x" ${forms}`});
		expect(read('-100000d')).toEqual({error: `not a time: "-100000d" ${forms}`});
		expect(read('')).toEqual({error: 'type a time: 14:05, 14:05:30, -10m, -2h or an ISO time'});
		expect(read('\u001B[31mred')).toEqual({error: `not a time: "␛[31mred" ${forms}`});
		expect(read('x'.repeat(100))).toEqual({error: `not a time: "${'x'.repeat(40)}…" ${forms}`});
	});

	it('labels a time as the pane shows it: the local clock, milliseconds only when there are some', () => {
		expect(timeLabel(local(2026, 10, 21, 14, 5, 0), NOW)).toBe('14:05:00');
		expect(timeLabel(local(2026, 10, 21, 14, 5, 0, 7), NOW)).toBe('14:05:00.007');
		expect(timeLabel(local(2025, 0, 2, 3, 4, 5), NOW)).toBe('2025-01-02 03:04:05');
	});
});

describe('what the status bar says after T', () => {
	const landed = (extra: Partial<Extract<GoToOutcome, {kind: 'landed'}>> = {}): GoToOutcome => ({kind: 'landed', timestamp: new Date(local(2026, 10, 21, 7, 1, 2)).toISOString(), ...extra});

	it('where it went: the line of the run, or the time of the line where records carry no seq', () => {
		expect(outcomeText(landed({seq: 12_345}), '14:05:00', NOW)).toEqual({text: '14:05:00 → line 12,345', error: false});
		expect(outcomeText(landed(), '07:00:00', NOW)).toEqual({text: '07:00:00 → the line at 07:01:02', error: false});
		expect(outcomeText(landed({older: true}), '06:00:00', NOW)).toEqual({text: '06:00:00 is older than the lines held: the oldest, at 07:01:02', error: false});
	});

	it('why it stayed, and nothing for a move a key cancelled', () => {
		expect(outcomeText({kind: 'none'}, '23:00:00', NOW)).toEqual({text: 'no line at or after 23:00:00', error: true});
		expect(outcomeText({kind: 'dropped'}, '23:00:00', NOW)).toBeUndefined();
	});
});
