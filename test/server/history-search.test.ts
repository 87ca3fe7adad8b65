import {describe, expect, it as test} from 'vitest';
import type {HistoryAnswer} from '../../source/protocol/api.js';
import {compilePattern} from '../../source/protocol/pattern.js';
import {ApiError} from '../../source/server/api-error.js';
import {ScanGate, scanMatches} from '../../source/server/history-search.js';
import {openStore} from '../../source/server/store/open-store.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/* History search (`grep=` on a history path): the viewer's pattern language on the server, paged and bounded. */

type SearchAnswer = HistoryAnswer & {scanned: number; count?: {matches: number; complete: boolean}; error?: {message: string}};

async function get(url: string): Promise<{status: number; body: SearchAnswer}> {
	const response = await fetch(url);
	return {status: response.status, body: (await response.json()) as SearchAnswer};
}

const backends = await storeBackends();

describe.each(backends)('history search on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('pages the matches of a run both ways with smart case, counts them, and says where to go on', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const lines = Array.from({length: 30}, (_, n) => ({level: n % 10 === 9 ? 'ERROR' : 'INFO', message: n % 3 === 0 ? `Timeout ${n}` : `ok ${n}`, ...(n === 4 ? {taskId: 'load'} : {})}));
		await ingest(server.url, undefined, runId, lines);
		const history = `${server.url}/api/automations/logs?automationID=etl`;
		const messages = (answer: SearchAnswer) => answer.logs.map((record) => record.message);

		const first = await get(`${history}&grep=timeout&order=asc&limit=4&count=true`);
		expect(first.status).toBe(200);
		expect(messages(first.body)).toEqual(['Timeout 0', 'Timeout 3', 'Timeout 6', 'Timeout 9']);
		expect(first.body.count).toEqual({matches: 10, complete: true});
		const second = await get(`${history}&grep=timeout&order=asc&limit=4&after=${first.body.next!}`);
		expect(messages(second.body)).toEqual(['Timeout 12', 'Timeout 15', 'Timeout 18', 'Timeout 21']);
		const last = await get(`${history}&grep=timeout&order=asc&limit=4&after=${second.body.next!}`);
		expect([messages(last.body), last.body.next]).toEqual([['Timeout 24', 'Timeout 27'], null]);

		// A capital makes it case-sensitive; desc pages come from the end; the level word and the task label match too.
		expect(messages((await get(`${history}&grep=Timeout&order=desc&limit=2`)).body)).toEqual(['Timeout 24', 'Timeout 27']);
		expect((await get(`${history}&grep=TIMEOUT`)).body.logs).toEqual([]);
		expect(messages((await get(`${history}&grep=ERROR&level=ERROR`)).body)).toEqual(['Timeout 9', 'ok 19', 'ok 29']);
		expect(messages((await get(`${history}&grep=${encodeURIComponent(String.raw`\[load\]`)}`)).body)).toEqual(['ok 4']);
	});

	it('refuses a pattern it cannot run, or a count without one, with a 400 that says why', async () => {
		const server = await current().start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['a']);
		const history = `${server.url}/api/automations/logs?automationID=etl`;
		const refusals: Array<[string, RegExp]> = [
			['grep=(a)\\1', /^grep "\(a\)\\\\1": backreference \\1 is not supported/],
			['grep=a(?=b)', /^grep "a\(\?=b\)": lookahead \(\?= is not supported/],
			['grep=[a', /^grep "\[a": invalid regex: missing closing \]/],
			['grep=', /^grep is empty/],
			[`grep=${'a'.repeat(1001)}`, /^grep is 1001 characters long: at most 1000/],
			['count=true', /^count=true counts the matches of grep=/],
			['grep=a&count=yes', /^count "yes" must be true or false/],
		];
		for (const [query, message] of refusals) {
			const {status, body} = await get(`${history}&${query.replace('(?=', encodeURIComponent('(?='))}`);
			expect([query, status, body.error?.message]).toEqual([query, 400, expect.stringMatching(message)]);
		}
	});

	it('stops a scan at its budget and answers where to go on, so a rare match never holds the server', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, runId, [...Array.from({length: 4500}, (_, n) => `line ${n}`), 'needle']);
		await server.close();
		const store = await openStore(fixture.dbPath, {log() {}, poolSize: 2});
		try {
			const pattern = compilePattern('needle|pathological(x+x+)+y', {allowExclude: false}).pattern!;
			const scope = {kind: 'automation' as const, id: 'etl'};
			const stopped = await scanMatches(store, scope, {order: 'asc'}, pattern, 5, {rows: 2000, ms: 60_000});
			expect([stopped.matches.length, stopped.scanned, stopped.exhausted]).toEqual([0, 2000, false]);
			const rest = await scanMatches(store, scope, {order: 'asc', after: stopped.edge}, pattern, 5, {rows: 10_000, ms: 60_000});
			expect([rest.matches.map((record) => record.message), rest.scanned, rest.exhausted]).toEqual([['needle'], 2501, true]);
			// Out of budget exactly where the range ends (two full pages): the count is complete all the same.
			const whole = await scanMatches(store, scope, {order: 'asc', before: 4001}, pattern, 0, {rows: 4000, ms: 60_000}, true);
			expect([whole.matched, whole.scanned, whole.exhausted]).toEqual([0, 4000, true]);
			const short = await scanMatches(store, scope, {order: 'asc'}, pattern, 0, {rows: 4000, ms: 60_000}, true);
			expect([short.matched, short.scanned, short.exhausted]).toEqual([0, 4000, false]);
			// Between pages the event loop turns, so other requests run while a scan goes on (SQLite reads synchronously).
			let immediates = 0;
			const counting = (): void => {
				immediates++;
				if (!done) {setImmediate(counting);}
			};

			let done = false;
			setImmediate(counting);
			await scanMatches(store, scope, {order: 'asc'}, pattern, 5, {rows: 1_000_000, ms: 60_000}, true);
			done = true;
			expect(immediates).toBeGreaterThanOrEqual(2);
		} finally {
			await store.close();
		}
	});
});

describe('the scan gate', () => {
	test('runs at most its number of scans at once, refuses one more with a 503 and Retry-After, and frees a slot when one ends', async () => {
		const gate = new ScanGate(1);
		let release = (): void => {};
		const first = gate.run(async () => new Promise<string>((resolve) => {
			release = () => resolve('first');
		}));
		const refused = await gate.run(async () => 'second').catch((error: unknown) => error);
		expect(refused).toBeInstanceOf(ApiError);
		expect(refused).toMatchObject({status: 503, headers: {'retry-after': '1'}, message: '1 searches are running on this server already; retry shortly'});
		release();
		expect(await first).toBe('first');
		await expect(gate.run(async () => {
			throw new Error('scan failed');
		})).rejects.toThrow('scan failed');
		expect(await gate.run(async () => 'third')).toBe('third');
	});
});
