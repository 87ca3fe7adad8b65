import pg from 'pg';
import {describe, expect, it as test} from 'vitest';
import {FreezableProxy} from '../helpers/freezable-proxy.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * PostgreSQL with deadlines: a database that stops answering (frozen behind a proxy this test holds) or a
 * statement that waits on a lock gives a clear 503 with Retry-After within the deadline, never a hung
 * request; once the database answers again, so does the server. The URL sets short deadlines
 * (`?statement_timeout=&query_timeout=`), as an operator may.
 */

const postgres = (await storeBackends()).find((backend) => backend.postgres)!;

async function send(url: string, init?: RequestInit): Promise<{status: number; retryAfter: string | null; message?: string; ms: number}> {
	const started = performance.now();
	const response = await fetch(url, init);
	const body = (await response.json()) as {error?: {message: string}};
	return {status: response.status, retryAfter: response.headers.get('retry-after'), message: body.error?.message, ms: performance.now() - started};
}

const postLines = (lines: string): RequestInit => ({method: 'POST', headers: {'content-type': 'application/x-ndjson'}, body: lines});

describe(`deadlines on ${postgres.name}`, () => {
	const current = useServerFixture(postgres);
	const it = postgres.skip ? test.skip : test;

	it('a frozen database: every request is a 503 with Retry-After within the query deadline, and the server answers again once it thaws', async () => {
		const database = new URL(current().dbPath);
		const proxy = await FreezableProxy.start({host: database.hostname, port: Number(database.port || 5432)});
		try {
			const proxied = new URL(database);
			proxied.port = String(proxy.port);
			proxied.searchParams.set('statement_timeout', '1000');
			proxied.searchParams.set('query_timeout', '2000');
			const server = await current().start({dbPath: proxied.href});
			const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, ['before']);
			proxy.freeze();
			// Before: each of these hung as long as the database was frozen (62 s in the issue; the test's timeout here).
			const answers = await Promise.all([
				send(`${server.url}/api/runs/${runId}/logs`, postLines('{"level":"INFO","message":"during"}\n')),
				send(`${server.url}/api/automations/logs?automationID=etl`),
				send(`${server.url}/api/catalog`),
			]);
			for (const answer of answers) {
				expect(answer).toMatchObject({status: 503, retryAfter: '2', message: expect.stringMatching(/is unreachable \((Query read timeout|Connection terminated due to connection timeout)\): retry shortly$/)});
				expect(answer.ms).toBeLessThan(8000);
			}

			proxy.thaw();
			await until(async () => (await send(`${server.url}/api/runs/${runId}/logs`, postLines('{"level":"INFO","message":"after"}\n'))).status === 200, 'a write once the database thawed');
		} finally {
			proxy.thaw();
			await current().cleanup();
			await proxy.close();
		}
	}, 30_000);

	it('a statement stuck behind a lock is cancelled at statement_timeout: a 503 naming it, the connection kept', async () => {
		const url = new URL(current().dbPath);
		url.searchParams.set('statement_timeout', '800');
		const server = await current().start({dbPath: url.href});
		await createRun(server.url, undefined, {automationId: 'etl'});
		const holder = new pg.Client({connectionString: current().dbPath});
		await holder.connect();
		try {
			await holder.query('BEGIN');
			await holder.query('LOCK TABLE dbtail.runs IN ACCESS EXCLUSIVE MODE');
			const answer = await send(`${server.url}/api/runs`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"automationId":"etl"}'});
			expect(answer).toMatchObject({status: 503, retryAfter: '2', message: expect.stringMatching(/did not finish in time \(canceling statement due to statement timeout\): retry shortly/)});
			await holder.query('ROLLBACK');
			const again = await send(`${server.url}/api/runs`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"automationId":"etl"}'});
			expect(again.status).toBe(201);
		} finally {
			await holder.end();
		}
	});
});
