import {describe, expect, it} from 'vitest';
import {parseHistoryParams, parseStreamParams} from '../../source/server/params.js';

const q = (text: string) => new URLSearchParams(text);

describe('parseStreamParams', () => {
	it('reads every parameter, and Last-Event-ID wins over since', () => {
		const now = Date.parse('2026-11-22T12:00:00.000Z');
		expect(parseStreamParams(q('since=5&initial=10&from=5m&level=warning&follow=false&heartbeat=2.5&run=r-3'), '42', 15_000, now)).toEqual({
			resumeAfter: 42,
			initial: 10,
			fromTime: '2026-11-22T11:55:00.000Z',
			level: 'WARN',
			follow: false,
			heartbeatMs: 2500,
			run: 'r-3',
		});
		expect(parseStreamParams(q('since=5'), undefined, 15_000)).toEqual({resumeAfter: 5, follow: true, heartbeatMs: 15_000});
		expect(parseStreamParams(q('since=5'), '  ', 15_000).resumeAfter).toBe(5);
		expect(parseStreamParams(q('from=2026-11-01T00:00:00Z'), undefined, 1000).fromTime).toBe('2026-11-01T00:00:00.000Z');
	});

	it.each([
		['since=-1', /^since "-1" is not a log id/],
		['since=1e3', /^since "1e3" is not a log id/],
		['initial=ten', /^initial "ten" must be a whole number/],
		['from=last week', /^from "last week" is not a time/],
		// Out of Date's range: toISOString threw, a 500 with a stack.
		['from=100000000000000d', /^from "100000000000000d" is not a time/],
		['from=2026-02-30', /^from "2026-02-30" is not a time/],
		['from=99999-01-01T00:00:00Z', /^from "99999-01-01T00:00:00Z" is not a time/],
		['level=constructor', /^level "constructor" is not a level/],
		['run=..', /^run "\.\." is not a run id/],
		['level=verbose', /^level "verbose" is not a level/],
		['follow=yes', /^follow "yes" must be true or false/],
		['heartbeat=0.5', /^heartbeat "0.5" must be a number of seconds from 1 to 60/],
		['heartbeat=abc', /^heartbeat "abc"/],
		['run=../etc', /^run "..\/etc" is not a run id/],
	])('refuses %s naming it', (query, message) => {
		expect(() => parseStreamParams(q(query), undefined, 15_000)).toThrow(message);
	});
});

describe('parseHistoryParams', () => {
	it('defaults the limit and refuses bad values', () => {
		expect(parseHistoryParams(q(''))).toEqual({limit: 1000, allRuns: false, count: false});
		expect(parseHistoryParams(q('after=3&before=9&limit=5&level=err&currentRunID=r-1&order=desc'))).toEqual({
			after: 3,
			before: 9,
			limit: 5,
			level: 'ERROR',
			run: 'r-1',
			allRuns: false,
			count: false,
			order: 'desc',
		});
		expect(parseHistoryParams(q('runs=all&order=asc'))).toEqual({limit: 1000, allRuns: true, count: false, order: 'asc'});
		expect(() => parseHistoryParams(q('order=DESC'))).toThrow(/^order "DESC" must be asc or desc/);
		expect(() => parseHistoryParams(q('limit=10001'))).toThrow(/^limit "10001" must be a whole number from 0 to 10000/);
		expect(() => parseHistoryParams(q('limit=0'))).toThrow(/limit must be from 1/);
		expect(() => parseHistoryParams(q('after=x'))).toThrow(/^after "x" is not a log id/);
	});
});
