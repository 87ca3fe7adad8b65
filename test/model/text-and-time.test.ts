import {describe, expect, it} from 'vitest';
import {expandTabs, sliceColumns, wrapColumns} from '../../source/model/text-columns.js';
import {absoluteTime, formatTimestamp, nextTimestampMode, relativeTime} from '../../source/model/timestamps.js';
import {RingBuffer} from '../../source/model/ring-buffer.js';
import {IndexList} from '../../source/model/index-list.js';
import {lineRows} from '../../source/model/rows.js';
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

describe('RingBuffer and IndexList', () => {
	it('keeps absolute positions across eviction', () => {
		const buffer = new RingBuffer<string>(2);
		expect(buffer.push('a')).toBe(0);
		buffer.push('b');
		buffer.push('c');
		expect(buffer.first).toBe(1);
		expect(buffer.get(0)).toBeUndefined();
		expect(buffer.get(2)).toBe('c');
		expect(buffer.evicted).toBe(1);
		expect(() => new RingBuffer(0)).toThrow(RangeError);
	});

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
