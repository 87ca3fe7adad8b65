import {describe, expect, it} from 'vitest';
import {columnsUpTo, expandTabs, sliceColumns, stringWidth, wrapColumns, wrapRows} from '../../source/model/text-columns.js';
import {absoluteTime, formatTimestamp, nextTimestampMode, relativeTime} from '../../source/model/timestamps.js';
import {IndexList} from '../../source/model/index-list.js';
import {CONTINUES, LINE_ROWS_LIMIT, lineHeight, lineRows, lineSpan, SIDEWAYS_LIMIT, type RowOptions} from '../../source/model/rows.js';
import {toPaneLine} from '../../source/model/pane-line.js';
import {connectionDetail, finishedRunDetail} from '../../source/model/connection-text.js';
import {isSafeText} from '../../source/protocol/sanitize.js';

describe('timestamps', () => {
	const now = new Date(2026, 10, 22, 14, 23, 45).getTime();

	it('says how long ago', () => {
		expect(relativeTime(now, now)).toBe('just now');
		expect(relativeTime(now + 5000, now)).toBe('just now');
		expect(relativeTime(now - 3000, now)).toBe('3s ago');
		expect(relativeTime(now - 125_000, now)).toBe('2m ago');
		expect(relativeTime(now - 5 * 3_600_000, now)).toBe('5h ago');
		expect(relativeTime(now - 3 * 86_400_000, now)).toBe('3d ago');
	});

	it('shows the clock, with the date when not today', () => {
		expect(absoluteTime(now - 1000, now)).toBe('14:23:44.000');
		expect(absoluteTime(now - 1, now)).toBe('14:23:44.999');
		expect(absoluteTime(new Date(2026, 10, 21, 9, 5, 1).getTime(), now)).toBe('2026-11-21 09:05:01.000');
	});

	it('cycles relative, absolute, iso, none', () => {
		expect(nextTimestampMode('relative')).toBe('absolute');
		expect(nextTimestampMode('absolute')).toBe('iso');
		expect(nextTimestampMode('iso')).toBe('none');
		expect(formatTimestamp('2026-11-22T10:30:45.123Z', 'iso', now)).toBe('2026-11-22T10:30:45.123Z');
		expect(nextTimestampMode('none')).toBe('relative');
		expect(formatTimestamp(new Date(now).toISOString(), 'none', now)).toBe('');
		expect(formatTimestamp('not a time', 'relative', now)).toBe('?       ');
	});
});

describe('terminal columns', () => {
	it('expands tabs to the next stop of 8', () => {
		expect(expandTabs('ab\tc')).toBe('ab      c');
		expect(expandTabs('界\tx')).toBe('界      x');
	});

	it('slices by columns, never splitting a wide character', () => {
		expect(sliceColumns('abcdef', 2, 3)).toBe('cde');
		expect(sliceColumns('日本語テキスト', 2, 4)).toBe('本語');
		expect(sliceColumns('日本語テキスト', 1, 4)).toBe('本');
	});

	it('wraps by columns', () => {
		expect(wrapColumns('short', 10)).toEqual(['short']);
		expect(wrapColumns('one two three four', 9)).toEqual(['one two', 'three', 'four']);
		expect(wrapColumns('    at main (index.js:13:3)', 14)).toEqual(['    at main', '(index.js:13:3', ')']);
		expect(wrapColumns('x'.repeat(12), 5)).toEqual(['xxxxx', 'xxxxx', 'xx']);
		expect(wrapColumns('日本語テキスト', 6)).toEqual(['日本語', 'テキス', 'ト']);
	});

	it('lays a multi-line message out as continuation rows under the text column', () => {
		const rows = lineRows(
			toPaneLine({timestamp: '2026-11-22T10:00:00Z', level: 'WARN', message: 'one\ntwo', taskId: 'extract'}),
			7,
			{width: 80, wrap: true, hscroll: 0, timestamps: 'relative', now: Date.parse('2026-11-22T10:00:03Z')},
		);
		expect(rows.map((row) => [row.time, row.level, row.text])).toEqual([
			['3s ago   ', 'WARN', '[extract] one'],
			['         ', undefined, 'two'],
		]);
	});
});

describe('IndexList', () => {
	it('finds ranks by binary search after dropping the head', () => {
		const list = new IndexList();
		for (const value of [1, 4, 6, 9]) {
			list.push(value);
		}

		list.dropBelow(5);
		expect(list.length).toBe(2);
		expect(list.lowerBound(7)).toBe(1);
		expect(list.rankAtOrBefore(8)).toBe(0);
		expect(list.rankAtOrBefore(2)).toBe(-1);
		expect(list.last()).toBe(9);
	});
});

describe('connection text', () => {
	it('never carries a control character from a server error to the screen', () => {
		const hostile = '503 Busy\u001B]0;PWNED\u0007\u009B31m';
		const failed = connectionDetail({kind: 'failed', reason: hostile}, 0);
		const retrying = connectionDetail({kind: 'reconnecting', attempt: 2, retryAt: 4000, lastError: hostile}, 0);
		for (const text of [failed, retrying]) {
			expect(isSafeText(text)).toBe(true);
			expect(text).toContain('503 Busy␛]0;PWNED␇');
		}

		expect(retrying).toMatch(/^reconnecting in 4s \(attempt 2\): /);
	});

	it('says a finished run, unless the next one is going or the completed connection says it already', () => {
		const live = {kind: 'live', since: 0} as const;
		expect(finishedRunDetail(live, {runId: 'r-1', status: 'cancelled', durationMs: 850})).toBe('completed: cancelled in 850ms');
		expect(finishedRunDetail(live, {runId: 'r-1', status: 'succeeded'})).toBe('completed: succeeded');
		expect(finishedRunDetail(live, {runId: 'r-2', status: 'running'})).toBeUndefined();
		expect(finishedRunDetail(live, undefined)).toBeUndefined();
		const completed = {kind: 'completed', result: 'failed', durationMs: 1000} as const;
		expect(finishedRunDetail(completed, {runId: 'r-1', status: 'failed', durationMs: 1000})).toBeUndefined();
	});
});

describe('a huge line costs what the rows shown of it cost', () => {
	const huge = (message: string) => toPaneLine({timestamp: '2026-11-22T10:00:00Z', level: 'INFO', message});
	const options: RowOptions = {width: 120, wrap: true, hscroll: 0, timestamps: 'none', now: 0};
	// The server keeps the first MiB of a message and appends its truncation marker.
	const mebibyte = `${'x'.repeat(1_048_576)}… [truncated]`.padEnd(1_048_700, 'y');

	it('wraps only as many rows as asked, and says whether they hold it all', () => {
		expect(wrapRows('one two three four', 9, 2)).toEqual({rows: ['one two', 'three'], complete: false});
		expect(wrapRows('one two three four', 9, 3)).toEqual({rows: ['one two', 'three', 'four'], complete: true});
		expect(wrapRows('日本語テキスト', 6, 2)).toEqual({rows: ['日本語', 'テキス'], complete: false});
		expect(wrapRows('日本語テキスト', 6, 3)).toEqual({rows: ['日本語', 'テキス', 'ト'], complete: true});
	});

	it('reads graphemes a window at a time without splitting one at a window edge', () => {
		// 4 code units each: windows of 1,024 units end inside one now and then.
		const thumbs = '👍🏽'.repeat(3000);
		expect(stringWidth(thumbs)).toBe(3000 * 4);
		const rows = wrapColumns(`a${thumbs}`, 41);
		expect(rows.every((row) => !row.startsWith('🏽'))).toBe(true);
		expect(rows.join('')).toBe(`a${thumbs}`);
		const marks = 'e\u0301'.repeat(2000);
		expect(stringWidth(`x${marks}`)).toBe(2001);
		expect(columnsUpTo(marks, 10)).toBe(11);
	});

	// What laying such a line out reads (a bounded part of it) is counted in line-cost.test.ts.
	it('lays out a 1,048,700-character line and 1.2 MB of é capped with a marker', () => {
		for (const message of [mebibyte, 'é'.repeat(1_200_000), `${'é '.repeat(600_000)}`]) {
			const line = huge(message);
			const rows = lineRows(line, 0, options);
			const height = lineHeight(line, options);
			const span = lineSpan(line, {...options, wrap: false});
			const sideways = lineRows(line, 0, {...options, wrap: false, hscroll: SIDEWAYS_LIMIT});
			expect(rows).toHaveLength(LINE_ROWS_LIMIT);
			expect(height).toBe(LINE_ROWS_LIMIT);
			expect(rows.at(-1)).toMatchObject({notice: true, text: `… the line goes on (${message.length.toLocaleString('en-US')} characters in all)`});
			expect(rows.at(-2)!.notice).toBe(false);
			expect(span.columns).toBe(SIDEWAYS_LIMIT);
			expect(sideways).toHaveLength(1);
			expect(sideways[0]!.text.endsWith(CONTINUES)).toBe(true);
		}
	});

	it('takes the rows a pane gives it (its height), and counts a message of many lines the same way', () => {
		const rows = lineRows(huge(mebibyte), 0, {...options, maxRows: 5});
		expect(rows.map((row) => row.notice)).toEqual([false, false, false, false, true]);
		const stack = huge(Array.from({length: 5000}, (_, index) => `    at frame ${index}`).join('\n'));
		for (const wrap of [true, false]) {
			const each = {...options, wrap, maxRows: 20};
			expect(lineRows(stack, 0, each)).toHaveLength(20);
			expect(lineHeight(stack, each)).toBe(20);
		}

		const short = huge('one\ntwo');
		expect(lineHeight(short, {...options, wrap: false})).toBe(2);
		expect(lineRows(short, 0, {...options, wrap: false}).map((row) => row.text)).toEqual(['one', 'two']);
	});
});
