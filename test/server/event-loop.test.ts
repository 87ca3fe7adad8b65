import {describe, expect, it as test} from 'vitest';
import type {Catalog} from '../../source/protocol/api.js';
import {openDatabase} from '../../source/server/store/sqlite/schema.js';
import {databaseQuery} from '../helpers/test-postgres.js';
import {createRun} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * One request may be slow; no other waits on it. Each attack of issue 16 runs while /healthz is asked
 * again and again, and the slowest answer is held to a bound far above what the server now needs (tens
 * of ms; a few hundred on a 2-core machine at load 10) and below what the attacks held it before (2.5 to
 * 15 s), so a busy machine cannot flake it; where it can, a structural check says the same.
 */

const BOUND_MS = 2000;

/** The slowest /healthz while `attack` runs (asked one after another, 10 ms apart), and the attack's own answer. */
async function underAttack<T>(url: string, attack: () => Promise<T>): Promise<{slowestMs: number; answer: T}> {
	let done = false;
	let slowestMs = 0;
	const polling = (async () => {
		while (!done) {
			const started = performance.now();
			await (await fetch(`${url}/healthz`)).text();
			slowestMs = Math.max(slowestMs, performance.now() - started);
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
	})();
	try {
		return {answer: await attack(), slowestMs};
	} finally {
		done = true;
		await polling;
	}
}

async function post(url: string, body: string | Buffer, contentType: string): Promise<{status: number; message?: string}> {
	const response = await fetch(url, {method: 'POST', headers: {'content-type': contentType}, body});
	const answer = (await response.json()) as {error?: {message: string}};
	return {status: response.status, message: answer.error?.message};
}

const backends = await storeBackends();

describe.each(backends)('the event loop under hostile requests on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('a 16 MB body of nested [ is refused by its depth before it is parsed', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'a'});
		const body = Buffer.alloc(16 * 1024 * 1024 - 16, '[');
		const {answer, slowestMs} = await underAttack(server.url, async () => post(`${server.url}/api/runs/${runId}/logs`, body, 'application/json'));
		// Before: "body: not valid JSON (Unexpected end of JSON input)" after JSON.parse had read all 16 MB.
		expect(answer).toEqual({status: 400, message: 'record 1: nested deeper than 33 levels ("metadata" may nest 32)'});
		expect(slowestMs).toBeLessThan(BOUND_MS);
		// A run's create and finish bodies are a few fields: 64 KiB, refused by Content-Length before a byte is parsed.
		for (const path of ['/api/runs', `/api/runs/${runId}/finish`]) {
			const refused = await underAttack(server.url, async () => post(`${server.url}${path}`, body, 'application/json'));
			expect(refused.answer).toEqual({status: 413, message: `the body is ${body.length} bytes; the limit is 65536: send smaller batches`});
			expect(refused.slowestMs).toBeLessThan(BOUND_MS);
		}
	});

	it('16 MB of tiny NDJSON lines is a 413 without a held loop; 10,000 lines are stored, others served meanwhile', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'a'});
		const line = '{"level":"INFO","message":"x"}\n';
		const flood = line.repeat(Math.floor((16 * 1024 * 1024 - 16) / line.length));
		// Before: 200 after 2.6 s, /healthz held 2.5 s (541,200 lines in one transaction).
		const {answer, slowestMs} = await underAttack(server.url, async () => post(`${server.url}/api/runs/${runId}/logs`, flood, 'application/x-ndjson'));
		expect(answer).toEqual({status: 413, message: 'the batch has more than 10000 lines: send smaller batches'});
		expect(slowestMs).toBeLessThan(BOUND_MS);

		const most = await underAttack(server.url, async () => post(`${server.url}/api/runs/${runId}/logs`, line.repeat(10_000), 'application/x-ndjson'));
		expect(most.answer.status).toBe(200);
		expect(most.slowestMs).toBeLessThan(BOUND_MS);
	});

	it('the catalog of 20,000 automations, 4 calls at once, holds nothing', async () => {
		const fixture = current();
		const count = 20_000;
		const seed = [
			`INSERT INTO runs (seq_no, run_id, kind, entity_id, status, started_at, last_seq) SELECT i, 'r-' || i, 'automation', 'auto-' || i, 'running', '2026-01-01T00:00:00.000Z', 0 FROM series`,
			"INSERT INTO children (kind, entity_id, child_id, first_id) SELECT 'automation', 'auto-' || i, 'task-' || i, i FROM series",
		];
		let server;
		if (backend.postgres) {
			// The default pool: with the fixture's 4 connections, /healthz waits for one behind the four catalog queries.
			server = await fixture.start({dbPoolSize: 10});
			for (const sql of seed) {
				await databaseQuery(fixture.dbPath, `SET search_path = dbtail; WITH series AS (SELECT generate_series(1, ${count}) AS i) ${sql}`);
			}
		} else {
			const db = openDatabase(fixture.dbPath);
			for (const sql of seed) {db.exec(`WITH RECURSIVE series(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM series WHERE i < ${count}) ${sql}`);}
			db.close();
			server = await fixture.start();
		}

		const url = server.url;
		// Before: 3.3 s a call (every task filtered once per entity), /healthz held 15 s by four.
		// Read as text: parsing four answers of 4 MB in this process would hold the loop the server shares.
		const {answer, slowestMs} = await underAttack(url, async () => Promise.all([1, 2, 3, 4].map(async () => (await fetch(`${url}/api/catalog`)).text())));
		expect(slowestMs).toBeLessThan(BOUND_MS);
		for (const catalog of answer.map((text) => JSON.parse(text) as Catalog)) {
			expect(catalog.automations).toHaveLength(count);
			expect(catalog.automations[0]).toEqual({id: 'auto-1', tasks: ['task-1'], currentRun: expect.objectContaining({runId: 'r-1'})});
		}
	});
});
