import {describe, expect, it as test} from 'vitest';
import type {HistoryAnswer} from '../../source/protocol/api.js';
import {historyFrom} from '../../source/server/history-from.js';
import {parseHistoryParams} from '../../source/server/params.js';
import {openStore} from '../../source/server/store/open-store.js';
import type {HistoryQuery} from '../../source/server/store/types.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * `from=<time>` on the history route (the viewer's `T`): one more bound of the range, records with
 * `timestamp >= T` in id order, read as the stream's `from=` (an ISO time, or a duration back from the
 * server's clock), on both stores.
 */

const BASE = Date.parse('2026-11-20T14:00:00.000Z');
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();

type Answer = HistoryAnswer & {error?: {message: string}};

const backends = await storeBackends();

describe.each(backends)('history from a time on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('pages the records at or after a time in id order, asc by default, and desc gives the newest of them', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		// Line n at 14:0n; `late` is written after line 9 but stamped 14:02, before the times asked for below.
		const lines = Array.from({length: 10}, (_, n) => ({level: 'INFO', message: `line ${n}`, timestamp: at(n)}));
		await ingest(server.url, undefined, runId, [...lines, {level: 'INFO', message: 'late', timestamp: at(2)}, {level: 'INFO', message: 'line 10', timestamp: at(10)}]);
		const read = async (query: string): Promise<{status: number; body: Answer}> => {
			const response = await fetch(`${server.url}/api/automations/logs?automationID=etl&${query}`);
			return {status: response.status, body: (await response.json()) as Answer};
		};

		const messages = (answer: Answer) => answer.logs.map((record) => record.message);
		const first = await read(`from=${encodeURIComponent(at(5))}&limit=3`);
		expect(first.status).toBe(200);
		expect([messages(first.body), first.body.order]).toEqual([['line 5', 'line 6', 'line 7'], 'asc']);
		const second = await read(`from=${encodeURIComponent(at(5))}&limit=3&after=${first.body.next!}`);
		// `late` lies between line 9 and line 10 in id order, but before the time: left out.
		expect([messages(second.body), second.body.next]).toEqual([['line 8', 'line 9', 'line 10'], null]);

		// Between two lines: the first one after; a time with an offset is the same instant.
		expect(messages((await read(`from=${encodeURIComponent(at(4.5))}&limit=1`)).body)).toEqual(['line 5']);
		expect(messages((await read(`from=${encodeURIComponent('2026-11-20T16:05:00+02:00')}&limit=1`)).body)).toEqual(['line 5']);
		// desc: the newest records of the range, the page just before `before` among them.
		expect(messages((await read(`from=${encodeURIComponent(at(5))}&order=desc&limit=2`)).body)).toEqual(['line 9', 'line 10']);
		expect(messages((await read(`from=${encodeURIComponent(at(5))}&order=desc&limit=2&before=8`)).body)).toEqual(['line 5', 'line 6']);
		// After the newest line: nothing, and nothing more.
		expect((await read(`from=${encodeURIComponent(at(11))}`)).body).toEqual({logs: [], next: null, order: 'asc'});
		// With the level floor, as any bound.
		await ingest(server.url, undefined, runId, [{level: 'ERROR', message: 'boom', timestamp: at(3)}, {level: 'ERROR', message: 'bang', timestamp: at(12)}]);
		expect(messages((await read(`from=${encodeURIComponent(at(5))}&level=ERROR`)).body)).toEqual(['bang']);
	});

	it('reads a duration back from the server clock, within the scope asked (a run, or every run)', async () => {
		const server = await current().start();
		const now = Date.now();
		const old = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, old, [{level: 'INFO', message: 'two hours ago', timestamp: new Date(now - 2 * 3_600_000).toISOString()}]);
		await ingest(server.url, undefined, old, [{level: 'INFO', message: 'old run, half an hour ago', timestamp: new Date(now - 30 * 60_000).toISOString()}]);
		const newer = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, newer, [{level: 'INFO', message: 'new run, ten minutes ago', timestamp: new Date(now - 10 * 60_000).toISOString()}]);
		const messages = async (query: string) => {
			const answer = (await (await fetch(`${server.url}/api/automations/logs?automationID=etl&${query}`)).json()) as Answer;
			return answer.logs.map((record) => record.message);
		};

		expect(await messages('from=1h&runs=all')).toEqual(['old run, half an hour ago', 'new run, ten minutes ago']);
		expect(await messages(`from=1h&currentRunID=${old}`)).toEqual(['old run, half an hour ago']);
		// Without a scope parameter, the entity's current run.
		expect(await messages('from=1h')).toEqual(['new run, ten minutes ago']);
		expect(await messages('from=3h&runs=all&order=desc&limit=1')).toEqual(['new run, ten minutes ago']);
	});

	it('reads a time bound a window of ids at a time, and answers as one store read would, both ways, within bounds, among other runs', async () => {
		const fixture = current();
		const server = await fixture.start();
		const etl = await createRun(server.url, undefined, {automationId: 'etl'});
		const other = await createRun(server.url, undefined, {automationId: 'other'});
		// 120 lines of etl, interleaved with another run's, their times not in id order (every 7th is stamped early).
		for (let batch = 0; batch < 6; batch++) {
			await ingest(server.url, undefined, etl, Array.from({length: 20}, (_, n) => ({level: n % 5 === 0 ? 'WARN' : 'INFO', message: `etl ${batch * 20 + n}`, timestamp: at((batch * 20 + n) % 7 === 0 ? 0 : batch * 20 + n)})));
			await ingest(server.url, undefined, other, Array.from({length: 15}, (_, n) => ({level: 'INFO', message: `other ${n}`, timestamp: at(batch * 20 + n)})));
		}

		await server.close();
		const store = await openStore(fixture.dbPath, {log() {}});
		try {
			const scope = {kind: 'automation' as const, id: 'etl', runId: etl};
			const ids = (records: Array<{id: string}>) => records.map((record) => record.id).join(' ');
			const queries: HistoryQuery[] = [];
			for (const minutes of [0, 1, 33, 90, 119, 200]) {
				for (const order of ['asc', 'desc'] as const) {
					for (const limit of [1, 5, 200]) {
						queries.push({fromTime: at(minutes), order, limit}, {fromTime: at(minutes), order, limit, after: 40, before: 170, level: 'WARN'});
					}
				}
			}

			for (const query of queries) {
				const whole = await store.history(scope, {...query, maxBytes: 1_000_000});
				for (const window of [3, 17, 1000]) {
					const windowed = await historyFrom(store, scope, {...query, fromTime: query.fromTime!, maxBytes: 1_000_000}, window);
					expect([JSON.stringify(query), window, ids(windowed.records)]).toEqual([JSON.stringify(query), window, ids(whole.records)]);
				}
			}
		} finally {
			await store.close();
		}
	});

	it('refuses what is not a time, and from with grep, with a 400 that says why', async () => {
		const server = await current().start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['a']);
		const refusals: Array<[string, RegExp]> = [
			['from=yesterday', /^from "yesterday" is not a time \(use an ISO time, or 30s, 5m, 2h, 1d back\)/],
			['from=2026-02-30T00:00:00Z', /^from "2026-02-30T00:00:00Z" is not a time/],
			['from=-5m', /^from "-5m" is not a time/],
			['from=5m&grep=a', /^from= and grep= are not taken together/],
		];
		for (const [query, message] of refusals) {
			const response = await fetch(`${server.url}/api/automations/logs?automationID=etl&${query}`);
			const body = (await response.json()) as Answer;
			expect([query, response.status]).toEqual([query, 400]);
			expect(body.error?.message).toMatch(message);
		}
	});
});

describe('parseHistoryParams from=', () => {
	test('reads the time as the stream does, to an ISO time, a duration back from the clock given', () => {
		const now = Date.parse('2026-11-20T12:00:00.000Z');
		expect(parseHistoryParams(new URLSearchParams('from=2026-11-20T10:00:00Z'), now)).toEqual({limit: 1000, allRuns: false, count: false, fromTime: '2026-11-20T10:00:00.000Z'});
		expect(parseHistoryParams(new URLSearchParams('from=90m&order=desc'), now).fromTime).toBe('2026-11-20T10:30:00.000Z');
	});
});
