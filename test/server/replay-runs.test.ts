import {createServer, type Server} from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import type {WireEvent} from '../../source/protocol/events.js';
import {ServerMetrics} from '../../source/server/metrics.js';
import {parseStreamParams} from '../../source/server/params.js';
import {RunCache} from '../../source/server/run-cache.js';
import {resolveServedStream} from '../../source/server/served-stream.js';
import {QueueBudget} from '../../source/server/sse/queue-budget.js';
import {SseSession, type SessionContext} from '../../source/server/sse/sse-session.js';
import {SqliteStore} from '../../source/server/store/sqlite/sqlite-store.js';
import {SseReader} from './sse-reader.js';

/*
 * A replay that crosses a run boundary while the run cache lags the store, as it does on PostgreSQL while the
 * feed's reader is behind (a poll read in flight when a write commits). stream.test's "resumes across a run
 * boundary" failed so in 2 of 4 full runs: the cache still said the old run was running when the replay
 * reached the new run's records, so `completed` was never sent (the feed's later word came after the move).
 * Here the cache is made to lag on purpose: a real store, a real RunCache told only that the runs started.
 */

const line = (message: string) => ({level: 'INFO' as const, message, timestamp: new Date().toISOString()});
const said = (event: WireEvent) => (event.type === 'log' ? event.data.message : event.type === 'status' ? `${event.status} ${'runId' in event ? event.runId : ''}` : event.type);

describe('a replay across runs while the feed lags', () => {
	let dir: string | undefined;
	let server: Server | undefined;
	const readers: SseReader[] = [];
	afterEach(async () => {
		for (const reader of readers.splice(0)) {reader.close();}
		server?.closeAllConnections();
		await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
		if (dir) {rmSync(dir, {recursive: true, force: true});}
	});

	it('says completed for the run it leaves, as the store has it, before run-started and the new run', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-replay-runs-'));
		const store = new SqliteStore(path.join(dir, 'logs.db'));
		const runs = new RunCache(store);
		// etl: r-1 finished after a1..a3, r-2 started with b1. load: r-3 finished after l1, r-4 started, no lines yet.
		const first = (await store.createRun('automation', 'etl', undefined)).value;
		const {value: {firstId}} = await store.appendLogs(first.runId, [line('a1'), line('a2'), line('a3')]);
		const other = (await store.createRun('automation', 'load', undefined)).value;
		const {value: {lastId}} = await store.appendLogs(other.runId, [line('l1')]);
		// The lagging feed told the cache that these runs started, and not yet that they finished.
		runs.observe({type: 'run-started', run: first});
		runs.observe({type: 'run-started', run: other});
		await store.finishRun(first.runId, 'succeeded');
		await store.finishRun(other.runId, 'succeeded');
		const second = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(second.runId, [line('b1')]);
		const newest = (await store.createRun('automation', 'load', undefined)).value;

		const metrics = new ServerMetrics();
		const ctx: SessionContext = {
			store,
			runs,
			metrics,
			limits: {maxEvents: 10_000, maxBytes: 8 * 1024 * 1024},
			budget: new QueueBudget(64 * 1024 * 1024, 30_000, metrics),
			writeTimeoutMs: 30_000,
			retryMs: 2000,
			log() {},
		};
		server = createServer((req, res) => {
			const url = new URL(req.url!, 'http://localhost');
			const header = req.headers['last-event-id'];
			void (async () => {
				const target = await resolveServedStream(store, 'automation', url.searchParams.get('entity')!);
				await new SseSession(ctx, target, parseStreamParams(new URLSearchParams(), typeof header === 'string' ? header : undefined, 15_000), req, res).start();
			})();
		});
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

		const crossing = await SseReader.open(`${url}/?entity=etl`, {lastEventId: firstId});
		const settling = await SseReader.open(`${url}/?entity=load`, {lastEventId: lastId});
		readers.push(crossing, settling);
		await crossing.waitFor(() => crossing.logs.length === 3, 'both runs');
		await settling.waitFor(() => settling.events.some((event) => event.type === 'status' && event.status === 'run-started'), 'the move to the newest run');
		expect(crossing.events.map((event) => said(event))).toEqual([`connected ${first.runId}`, 'a2', 'a3', `completed ${first.runId}`, `run-started ${second.runId}`, 'b1']);
		expect(settling.events.map((event) => said(event))).toEqual([`connected ${other.runId}`, `completed ${other.runId}`, `run-started ${newest.runId}`]);
		ctx.budget.close();
		await store.close();
	});
});
