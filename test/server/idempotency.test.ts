import {describe, expect, it as test} from 'vitest';
import {createRun} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * Idempotency-Key on the POSTs that write: a producer that cannot know whether its request was stored (its
 * instance died mid-request) sends it again with the same key, and it is stored once.
 */

type Answer = {status: number; replayed: string | null; body: Record<string, unknown> & {error?: {message: string}}};

async function post(url: string, body: string, key?: string, type = 'application/json'): Promise<Answer> {
	const headers: Record<string, string> = {'content-type': type};
	if (key !== undefined) {headers['idempotency-key'] = key;}
	const response = await fetch(url, {method: 'POST', headers, body});
	return {status: response.status, replayed: response.headers.get('idempotent-replayed'), body: (await response.json()) as Answer['body']};
}

const backends = await storeBackends();

describe.each(backends)('Idempotency-Key on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('stores a batch sent twice with one key once, and answers the retry as the first time', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		const batch = '{"level":"INFO","message":"a"}\n{"level":"INFO","message":"b"}';
		const first = await post(logs, batch, '"8e03978e-40d5-43e8-bc93-6894a57f9324"', 'application/x-ndjson');
		const again = await post(logs, batch, '8e03978e-40d5-43e8-bc93-6894a57f9324', 'application/x-ndjson');
		expect(first).toEqual({status: 200, replayed: null, body: {firstId: '1', lastId: '2', count: 2}});
		expect(again).toEqual({status: 200, replayed: 'true', body: {firstId: '1', lastId: '2', count: 2}});
		// Without a key, or with another, a batch is a new batch.
		expect((await post(logs, batch, 'other', 'application/x-ndjson')).body).toEqual({firstId: '3', lastId: '4', count: 2});
		expect((await post(logs, batch, undefined, 'application/x-ndjson')).body).toEqual({firstId: '5', lastId: '6', count: 2});
		const history = (await (await fetch(`${server.url}/api/logs`)).json()) as {logs: unknown[]};
		expect(history.logs).toHaveLength(6);
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		expect(metrics).toMatch(/^dbtail_ingested_lines_total 6$/m);
	});

	it('refuses the key for another body (422), and a key that is not one (400), storing nothing', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		await post(logs, '[{"level":"INFO","message":"a"}]', 'k');
		const reused = await post(logs, '[{"level":"INFO","message":"changed"}]', 'k');
		expect(reused.status).toBe(422);
		expect(reused.body.error?.message).toBe(
			'Idempotency-Key "k" was already used for a different request: a retry must send the same body; use a new key for a new request',
		);
		for (const key of ['', '   ', 'é', 'x'.repeat(256)]) {
			const bad = await post(logs, '[{"level":"INFO","message":"b"}]', key);
			expect(bad.status, JSON.stringify(key)).toBe(400);
			expect(bad.body.error?.message).toBe('Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID will do), once per request');
		}

		expect(((await (await fetch(`${server.url}/api/logs`)).json()) as {logs: unknown[]}).logs).toHaveLength(1);
	});

	it('makes a run once and finishes it once when those requests are retried with their keys', async () => {
		const server = await current().start();
		const made = await post(`${server.url}/api/runs`, '{"automationId":"etl"}', 'create-1');
		const again = await post(`${server.url}/api/runs`, '{"automationId":"etl"}', 'create-1');
		expect([made.status, again.status, again.replayed]).toEqual([201, 201, 'true']);
		expect(again.body).toEqual(made.body);
		const runId = made.body.runId as string;
		const finished = await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"failed"}', 'finish-1');
		const finishedAgain = await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"failed"}', 'finish-1');
		expect([finished.status, finishedAgain.status, finishedAgain.replayed]).toEqual([200, 200, 'true']);
		expect(finishedAgain.body).toEqual(finished.body);
		// Without the key, finishing twice is still the 409 it always was.
		expect((await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"failed"}')).status).toBe(409);
		const catalog = (await (await fetch(`${server.url}/api/catalog`)).json()) as {automations: Array<{currentRun: {runId: string}}>};
		expect(catalog.automations.map((entry) => entry.currentRun.runId)).toEqual([runId]);
	});
});
