import {describe, expect, it as test} from 'vitest';
import type {Catalog, HistoryAnswer} from '../../source/protocol/api.js';
import {MAX_MESSAGE_BYTES} from '../../source/server/ingest/parse-batch.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

async function post(url: string, body: string, contentType = 'application/json') {
	const response = await fetch(url, {method: 'POST', headers: {'content-type': contentType}, body});
	return {status: response.status, body: (await response.json()) as {error?: {code: string; message: string}} & Record<string, unknown>};
}

/** The raw text of a stream up to the first chunk that contains `marker`. */
async function readUntil(url: string, marker: string): Promise<string> {
	const reader = (await fetch(url)).body!.getReader();
	let text = '';
	while (!text.includes(marker)) {text += new TextDecoder().decode((await reader.read()).value);}
	await reader.cancel();
	return text;
}

async function page(url: string): Promise<HistoryAnswer> {
	const response = await fetch(url);
	expect(response.status, url).toBe(200);
	return (await response.json()) as HistoryAnswer;
}

const backends = await storeBackends();

describe.each(backends)('ingest on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('rejects a malformed batch whole, naming the line and field, and stores nothing', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {pipelineId: 'report'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		const bad: Array<[string, string, RegExp]> = [
			['{"level":"INFO","message":"ok"}\n{"level":"INFO","message":"ok"}\n{not json', 'application/x-ndjson', /^line 3: not valid JSON/],
			['[{"level":"INFO","message":"ok"},{"level":"VERBOSE","message":"x"}]', 'application/json', /^record 2: unknown level "VERBOSE"/],
			['[{"level":"INFO"}]', 'application/json', /^record 1: "message" must be a string/],
			['[{"message":"x"}]', 'application/json', /^record 1: "level" is missing/],
			['[{"level":"INFO","message":"x","taskId":"t"}]', 'application/json', /"taskId" does not belong in a pipeline run/],
			['[{"level":"INFO","message":"x","timestamp":"noon"}]', 'application/json', /"timestamp" "noon" is not an RFC 3339 time with a zone/],
			['[{"level":"INFO","message":"x","artifactId":"a b"}]', 'application/json', /"artifactId" must be 1 to 128/],
			['[{"level":"INFO","message":"x","metadata":[1]}]', 'application/json', /"metadata" must be a JSON object/],
			['[]', 'application/json', /no log lines/],
		];
		for (const [body, type, message] of bad) {
			const answer = await post(logs, body, type);
			expect(answer.status, body).toBe(400);
			expect(answer.body.error?.message, body).toMatch(message);
		}

		expect((await page(`${server.url}/api/pipeline/logs?pipelineID=report`)).logs).toEqual([]);
		const good = await post(logs, '{"level":"warning","message":"first"}\n\n{"level":"err","message":"second","artifactId":"csv","stream":"stderr","metadata":{"k":1}}\n', 'application/x-ndjson');
		expect(good).toMatchObject({status: 200, body: {firstId: '1', lastId: '2', count: 2}});
		const stored = (await page(`${server.url}/api/pipeline/logs?pipelineID=report`)).logs;
		expect(stored.map(({seq, level, artifactId}) => ({seq, level, artifactId}))).toEqual([
			{seq: 1, level: 'WARN', artifactId: undefined},
			{seq: 2, level: 'ERROR', artifactId: 'csv'},
		]);
		expect(stored[1]).toMatchObject({pipelineId: 'report', runId, stream: 'stderr', metadata: {k: 1}});
	});

	it('gives bad input the same 400 on either store, naming the line and field: NUL, prototype level names, times, dot-only ids', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		const ok = '{"level":"INFO","message":"fine"}\n';
		// On PostgreSQL a NUL was a 500 (a producer that retries 5xx looped for ever), on SQLite it was stored.
		const bad: Array<[string, RegExp]> = [
			[`${ok}{"level":"INFO","message":"a\\u0000b"}`, /^line 2: "message" holds a NUL character/],
			[`${ok}{"level":"INFO","message":"a","stream":"\\u0000"}`, /^line 2: "stream" holds a NUL character/],
			[`${ok}{"level":"constructor","message":"a"}`, /^line 2: unknown level "constructor"/],
			[`${ok}{"level":"__proto__","message":"a"}`, /^line 2: unknown level "__proto__"/],
			[`${ok}{"level":"INFO","message":"a","timestamp":"99999"}`, /^line 2: "timestamp" "99999" is not an RFC 3339 time/],
			[`${ok}{"level":"INFO","message":"a","timestamp":"2026-02-30T00:00:00Z"}`, /^line 2: "timestamp" "2026-02-30T00:00:00Z" is not/],
			[`${ok}{"level":"INFO","message":"a","timestamp":8640000000000000}`, /^line 2: "timestamp" 8640000000000000 is not/],
			[`${ok}{"level":"INFO","message":"a","taskId":".."}`, /^line 2: "taskId" must be/],
		];
		for (const [body, message] of bad) {
			const answer = await post(logs, body, 'application/x-ndjson');
			expect(answer.status, body).toBe(400);
			expect(answer.body.error?.message, body).toMatch(message);
		}

		const named = await post(`${server.url}/api/runs`, '{"automationId":"etl","name":"night\\u0000ly"}');
		expect([named.status, named.body.error?.message]).toEqual([400, expect.stringMatching(/"name" holds a NUL character/)]);
		// A URL parser folds `.` and `..` path segments away, so an entity named so could never be streamed.
		for (const id of ['.', '..', '...']) {
			expect((await post(`${server.url}/api/runs`, JSON.stringify({automationId: id}))).body.error?.message, id).toMatch(/"automationId" must be/);
		}

		// Nothing of the refused batches was stored, the run downloads, and metadata keeps a NUL (as JSON text, on both stores).
		await ingest(server.url, undefined, runId, [{level: 'INFO', message: 'kept', metadata: {raw: 'a\u0000b'}}]);
		const stored = (await page(`${server.url}/api/automations/logs?automationID=etl`)).logs;
		expect(stored.map((record) => [record.message, record.metadata])).toEqual([['kept', {raw: 'a\u0000b'}]]);
		expect((await fetch(`${server.url}/api/runs/${runId}/logs/download`)).status).toBe(200);
	});

	it('truncates a line over 1 MB with a marker instead of refusing it', async () => {
		const server = await current().start();
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, ['é'.repeat(MAX_MESSAGE_BYTES)]);
		const [record] = (await page(`${server.url}/api/automations/logs?automationID=etl&currentRunID=${runId}`)).logs;
		expect(Buffer.byteLength(record!.message)).toBeLessThan(MAX_MESSAGE_BYTES + 100);
		expect(record!.message).toMatch(/^é+ …\[truncated by dbtail: 2097152 bytes, kept 1048576\]$/);
	});

	it('refuses bad runs: unknown (404), finished (409), bad create bodies (400), bodies over the limit (413)', async () => {
		const server = await current().start({maxBodyBytes: 1000});
		expect((await post(`${server.url}/api/runs/r-404/logs`, '[]')).status).toBe(404);
		expect((await post(`${server.url}/api/runs`, '{"automationId":"a","pipelineId":"p"}')).body.error?.message).toMatch(/exactly one of/);
		expect((await post(`${server.url}/api/runs`, '{"automationId":"no spaces"}')).status).toBe(400);
		expect((await post(`${server.url}/api/runs`, '{oops')).body.error?.message).toMatch(/not valid JSON/);
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		expect((await post(`${server.url}/api/runs/${runId}/logs`, `[{"level":"INFO","message":"${'x'.repeat(2000)}"}]`)).status).toBe(413);
		expect((await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"maybe"}')).body.error?.message).toMatch(/succeeded, failed, cancelled/);
		await finishRun(server.url, undefined, runId, 'cancelled');
		const late = await post(`${server.url}/api/runs/${runId}/logs`, '[{"level":"INFO","message":"late"}]');
		expect(late.status).toBe(409);
		expect(late.body.error?.message).toMatch(/already finished \(cancelled\)/);
		expect((await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"failed"}')).status).toBe(409);
	});
});

describe.each(backends)('history and the other read endpoints on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('pages with after/before/limit/level, defaults to the current run, and lists the catalog', async () => {
		const server = await current().start();
		const old = await createRun(server.url, undefined, {automationId: 'etl', name: 'Nightly'});
		await ingest(server.url, undefined, old, [{level: 'INFO', message: 'old', taskId: 'extract'}]);
		await finishRun(server.url, undefined, old);
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const lines = Array.from({length: 25}, (_, i) => ({level: i % 5 === 0 ? 'ERROR' : 'INFO', message: `m${i}`, taskId: i % 2 ? 'load' : 'extract'}));
		await ingest(server.url, undefined, runId, lines);
		const base = `${server.url}/api/automations/logs?automationID=etl`;

		const tail = await page(`${base}&limit=5`);
		expect(tail.logs.map((record) => record.message)).toEqual(['m20', 'm21', 'm22', 'm23', 'm24']);
		expect(tail.next).toBeNull();
		const first = await page(`${base}&after=0&limit=10`);
		expect(first.logs.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
		const second = await page(`${base}&after=${first.next}&limit=10`);
		const third = await page(`${base}&after=${second.next}&limit=10`);
		expect(third.logs.map((record) => record.seq)).toEqual([21, 22, 23, 24, 25]);
		expect(third.next).toBeNull();
		expect((await page(`${base}&level=ERROR&after=0`)).logs.map((record) => record.message)).toEqual(['m0', 'm5', 'm10', 'm15', 'm20']);
		expect((await page(`${base}&before=${first.logs[3]!.id}`)).logs.map((record) => record.seq)).toEqual([1, 2, 3]);
		// A gap fill with only an upper bound pages forward from the start, so it gets all of the range.
		const gap = await page(`${base}&before=${third.logs[0]!.id}&limit=15`);
		expect(gap.logs.map((record) => record.seq)).toEqual(Array.from({length: 15}, (_, i) => i + 1));
		const rest = await page(`${base}&after=${gap.next}&before=${third.logs[0]!.id}&limit=15`);
		expect(rest.logs.map((record) => record.seq)).toEqual([16, 17, 18, 19, 20]);
		expect(rest.next).toBeNull();
		expect((await page(`${base}&currentRunID=${old}`)).logs.map((record) => record.message)).toEqual(['old']);
		expect((await page(`${server.url}/api/automations/tasks/logs?automationTaskID=load&limit=2`)).logs.map((record) => record.message)).toEqual(['m21', 'm23']);
		expect((await page(`${server.url}/api/logs?limit=1`)).logs.map((record) => record.message)).toEqual(['m24']);
		const missing = await fetch(`${server.url}/api/automations/logs`);
		expect(missing.status).toBe(400);
		expect(await missing.text()).toMatch(/automationID is required/);
		expect((await fetch(`${base}&limit=0`)).status).toBe(400);

		const catalog = (await (await fetch(`${server.url}/api/catalog`)).json()) as Catalog;
		expect(catalog.automations).toEqual([{id: 'etl', tasks: ['extract', 'load'], currentRun: expect.objectContaining({runId, status: 'running'})}]);
		expect(catalog.pipelines).toEqual([]);
	});

	it('pages backwards with order=desc, says next exactly, reads every run with runs=all, and refuses bad order and runs', async () => {
		const server = await current().start();
		const {runId: old} = await ingest(server.url, undefined, {automationId: 'etl'}, ['o1', 'o2']);
		await ingest(server.url, undefined, {automationId: 'other'}, ['elsewhere']);
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, Array.from({length: 7}, (_, i) => `n${i + 1}`));
		const base = `${server.url}/api/automations/logs?automationID=etl`;
		const messages = (answer: HistoryAnswer) => answer.logs.map((record) => record.message);

		const newest = await page(`${base}&order=desc&limit=3`);
		expect([messages(newest), newest.next, newest.order]).toEqual([['n5', 'n6', 'n7'], newest.logs[0]!.id, 'desc']);
		const before = await page(`${base}&order=desc&limit=3&before=${newest.next}`);
		expect(messages(before)).toEqual(['n2', 'n3', 'n4']);
		const start = await page(`${base}&order=desc&limit=3&before=${before.next}`);
		// The current run's first line: nothing more before it, so no next.
		expect([messages(start), start.next]).toEqual([['n1'], null]);

		const everyRun = await page(`${base}&order=desc&limit=3&before=${before.next}&runs=all`);
		expect([messages(everyRun), everyRun.next]).toEqual([['o1', 'o2', 'n1'], null]);
		const pinned = await page(`${base}&order=desc&currentRunID=${old}&limit=1`);
		expect([messages(pinned), pinned.next]).toEqual([['o2'], pinned.logs[0]!.id]);
		// Ascending: next is null as soon as the page reaches the end, not one empty page later.
		const forward = await page(`${base}&order=asc&limit=7`);
		expect([messages(forward).at(-1), forward.next, forward.order]).toEqual(['n7', null, 'asc']);
		const fromStart = await page(`${base}&order=asc&limit=4&runs=all`);
		expect([messages(fromStart), fromStart.next]).toEqual([['o1', 'o2', 'n1', 'n2'], fromStart.logs[3]!.id]);
		// Without order, a page with no bound is still the newest, as old clients expect.
		expect(await page(`${base}&limit=2`)).toEqual({logs: [expect.objectContaining({message: 'n6'}), expect.objectContaining({message: 'n7', runId})], next: null, order: 'desc'});

		for (const [query, message] of [
			['order=up', /order "up" must be asc or desc/],
			['runs=some', /runs "some" must be all/],
			[`runs=all&currentRunID=${old}`, /runs=all and currentRunID/],
		] as const) {
			const refused = await fetch(`${base}&${query}`);
			expect(refused.status).toBe(400);
			expect(((await refused.json()) as {error: {message: string}}).error.message).toMatch(message);
		}
	});

	it('downloads a run as sanitized text, and serves healthz and metrics', async () => {
		const server = await current().start();
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, [
			{level: 'WARN', message: 'evil \u001B]52;c;aGk=\u0007 title', taskId: 'extract', timestamp: '2026-01-02T03:04:05.000Z'},
			'two\nlines',
		]);
		const download = await fetch(`${server.url}/api/runs/${runId}/logs/download`);
		expect(download.headers.get('content-disposition')).toBe(`attachment; filename="${runId}.log"`);
		const text = await download.text();
		expect(text.split('\n')[0]).toBe('2026-01-02T03:04:05.000Z WARN  [extract] evil ␛]52;c;aGk=␇ title');
		expect(text).toMatch(/ INFO {2}two\nlines\n$/);
		expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ok: true, epoch: server.epoch, store: server.store, reachable: true});
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		expect(metrics).toMatch(/^dbtail_ingested_lines_total 2$/m);
		expect(metrics).toMatch(/^dbtail_sse_connections 0$/m);
	});

	it('with --retain keeps the newest records and tells a resume from purged history it was truncated', async () => {
		const server = await current().start({retain: 100});
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		for (let batch = 0; batch < 5; batch++) {
			await ingest(server.url, undefined, runId, Array.from({length: 50}, (_, i) => `b${batch} ${i}`));
		}

		const all = await page(`${server.url}/api/logs?after=0`);
		expect(all.logs[0]!.id).toBe('151');
		expect(all.logs).toHaveLength(100);
		const text = await readUntil(`${server.url}/api/logs/stream?since=10`, '"id":"250"');
		expect(text).toMatch(/"status":"truncated","oldestId":"151","purged":140/);
		expect(text.indexOf('"id":"151"')).toBeGreaterThan(text.indexOf('truncated'));

		// Asking for the whole current run, whose start was purged, says so too.
		const wholeText = await readUntil(`${server.url}/api/automations/etl/logs?stream=true`, '"id":"151"');
		expect(wholeText).toMatch(/"status":"truncated","oldestId":"151","purged":150/);
	});
});
