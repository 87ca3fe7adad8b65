import net from 'node:net';
import pg from 'pg';
import {describe, expect, it as test} from 'vitest';
import type {StreamStatus} from '../../source/protocol/api.js';
import {ingest} from '../helpers/ingest.js';
import {databaseQuery} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * A stream request reads the store before its session exists (the stream's entity and current run; the
 * store's top id for a resume). On PostgreSQL those reads wait on the database, and a client may leave
 * meanwhile: its connection must not stay counted (the connection limit, /api/stream/status) nor subscribed
 * to the feed. The reads are held here by a lock this test takes, so the client is gone before they answer.
 * On SQLite the reads are synchronous (better-sqlite3): no event, a close included, lands between them.
 */

const postgres = (await storeBackends()).find((backend) => backend.postgres)!;

/** Sends a stream request and leaves it waiting; `leave()` resets the connection (RST), which the server sees at once. */
async function openAndWait(url: string, path: string, headers = ''): Promise<{leave: () => Promise<void>}> {
	const {hostname, port} = new URL(url);
	const socket = net.connect(Number(port), hostname);
	socket.on('error', () => {});
	await new Promise<void>((resolve) => socket.once('connect', resolve));
	await new Promise<void>((resolve) => {
		socket.write(`GET ${path} HTTP/1.1\r\nHost: ${hostname}\r\nAccept: text/event-stream\r\n${headers}\r\n`, () => resolve());
	});
	const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
	return {
		async leave() {
			socket.resetAndDestroy();
			await closed;
		},
	};
}

async function status(url: string): Promise<StreamStatus> {
	return (await (await fetch(`${url}/api/stream/status`)).json()) as StreamStatus;
}

/** How many of the server's statements wait on a lock (the stream requests' reads, behind the test's lock). */
async function waiting(database: string): Promise<number> {
	const result = await databaseQuery(database, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
	return (result.rows[0] as {n: number}).n;
}

describe(`a stream client that leaves before its session starts, on ${postgres.name}`, () => {
	const current = useServerFixture(postgres);
	const it = postgres.skip ? test.skip : test;

	it('is not counted: the connection limit and /api/stream/status are back to none, and the next stream opens', async () => {
		const server = await current().start({maxConnections: 2});
		await ingest(server.url, undefined, {automationId: 'etl'}, ['one', 'two']);
		const database = current().dbPath;
		const lock = new pg.Client({connectionString: database});
		await lock.connect();
		try {
			await lock.query('BEGIN');
			// The entity's current run (dbtail.runs) and a resume's top id (dbtail.counters) wait on this.
			await lock.query('LOCK TABLE dbtail.runs, dbtail.counters IN ACCESS EXCLUSIVE MODE');
			const clients = [
				await openAndWait(server.url, '/api/automations/etl/logs'),
				await openAndWait(server.url, '/api/automations/etl/logs', 'Last-Event-ID: 1\r\n'),
			];
			await until(async () => (await waiting(database)) >= 2, 'both stream requests to wait on the lock');
			await Promise.all(clients.map(async (client) => client.leave()));
			// The server has seen both leave once it answers a request sent after they did.
			expect((await status(server.url)).connections).toBe(0);
			await lock.query('ROLLBACK');
			await until(async () => (await waiting(database)) === 0, 'the reads to go on');

			// Before the fix both sessions started on their closed sockets and held the two slots for good: 429.
			const controller = new AbortController();
			try {
				let answer = 0;
				await until(async () => {
					const response = await fetch(`${server.url}/api/automations/etl/logs`, {signal: controller.signal, headers: {accept: 'text/event-stream'}});
					answer = response.status;
					if (answer !== 200) {await response.body?.cancel();}
					return answer === 200;
				}, 'a new stream to open', 5000);
				expect(answer).toBe(200);
				expect(await status(server.url)).toEqual({connections: 1, streams: [{stream: 'automation/etl', connections: 1}]});
			} finally {
				controller.abort();
			}

			await until(async () => (await status(server.url)).connections === 0, 'the last stream to be closed');
		} finally {
			await lock.end();
		}
	}, 30_000);

	it('leaving while its session reads where to start frees its slot at once, and the session never starts', async () => {
		const server = await current().start({maxConnections: 1});
		await ingest(server.url, undefined, {automationId: 'etl'}, ['one', 'two']);
		const database = current().dbPath;
		const lock = new pg.Client({connectionString: database});
		await lock.connect();
		try {
			await lock.query('BEGIN');
			// The entity resolves; the replay's start (whether retention ate the run's beginning) waits on this.
			await lock.query('LOCK TABLE dbtail.purged_scopes IN ACCESS EXCLUSIVE MODE');
			const client = await openAndWait(server.url, '/api/automations/etl/logs');
			await until(async () => (await waiting(database)) >= 1, 'the session to wait on the lock');
			expect((await status(server.url)).connections).toBe(1);
			await client.leave();
			await until(async () => (await status(server.url)).connections === 0, 'the session to be closed');
			await lock.query('ROLLBACK');
			await until(async () => (await waiting(database)) === 0, 'the reads to go on');
			const response = await fetch(`${server.url}/api/automations/etl/logs`, {headers: {accept: 'text/event-stream'}});
			expect(response.status).toBe(200);
			await response.body?.cancel();
			await until(async () => (await status(server.url)).connections === 0, 'the last stream to be closed');
		} finally {
			await lock.end();
		}
	}, 30_000);
});
