import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Simulator} from '../../source/demo/simulator.js';
import {IngestService} from '../../source/server/ingest/ingest-service.js';
import {ServerMetrics} from '../../source/server/metrics.js';
import {SqliteStore} from '../../source/server/store/sqlite/sqlite-store.js';
import type {FeedEvent} from '../../source/server/store/types.js';

/** A seeded generator (mulberry32), so the workload is the same on every run. */
function seeded(seed: number): () => number {
	let state = seed;
	return () => {
		state = (state + 0x6d_2b_79_f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

describe('demo simulator', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const dir of dirs.splice(0)) {rmSync(dir, {recursive: true, force: true});}
	});

	it('runs the three entities through the real ingest path: runs start, log at the rate, finish, some fail with a stack trace', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-sim-'));
		dirs.push(dir);
		const store = new SqliteStore(path.join(dir, 'demo.db'));
		// What the store's committed feed delivers is what SSE sessions get: every write, after its commit.
		const events: FeedEvent[] = [];
		store.feed.subscribe((event) => events.push(event));
		// Simulated time of each run's start and end: runs stamp the wall clock, the simulator gets `now`.
		let now = 0;
		const startedAt = new Map<string, number>();
		const runTimes: number[] = [];
		store.feed.subscribe((event) => {
			if (event.type === 'run-started') {startedAt.set(event.run.runId, now);}
			if (event.type === 'completed' && event.run.status !== 'cancelled') {runTimes.push(now - startedAt.get(event.run.runId)!);}
		});
		const simulator = new Simulator(new IngestService(store, new ServerMetrics()), {rate: 50, random: seeded(7)});
		// Three simulated minutes in 100 ms steps, with no timers and no waiting.
		const start = Date.parse('2026-11-22T10:00:00Z');
		for (let step = 0; step < 1800; step++) {
			now = start + step * 100;
			await simulator.tick(now);
		}
		await simulator.stop();

		const records = events.flatMap((event) => (event.type === 'logs' ? event.records : []));
		const completed = events.flatMap((event) => (event.type === 'completed' ? [event.run] : []));
		expect(records.length).toBeGreaterThan(50 * 180 * 0.9);
		expect(new Set(records.map((record) => record.automationId ?? record.pipelineId))).toEqual(new Set(['nightly-etl', 'hourly-sync', 'sales-report']));
		expect(new Set(records.map((record) => record.taskId ?? record.artifactId))).toEqual(
			new Set(['extract', 'transform', 'load', 'fetch', 'upsert', 'orders-parquet', 'report-csv']),
		);
		const levels = new Map<string, number>();
		for (const record of records) {levels.set(record.level, (levels.get(record.level) ?? 0) + 1);}
		expect(levels.get('INFO')! / records.length).toBeGreaterThan(0.6);
		for (const level of ['DEBUG', 'WARN', 'ERROR']) {expect(levels.get(level), level).toBeGreaterThan(0);}
		expect(completed.filter((run) => run.status === 'succeeded').length).toBeGreaterThan(10);
		expect(completed.filter((run) => run.status === 'failed').length).toBeGreaterThan(0);
		expect(records.some((record) => record.level === 'ERROR' && /\n {4}at /.test(record.message))).toBe(true);
		// A burst of lines does not end a step at once: every run takes at least one step's 2 s.
		expect(Math.min(...runTimes)).toBeGreaterThanOrEqual(2000);
		// stop() leaves no run open.
		expect((await store.catalog()).automations.every((entry) => entry.currentRun?.status !== 'running')).toBe(true);
		expect((await store.history({kind: 'all'}, {after: 0, limit: 1_000_000})).records).toHaveLength(records.length);
		await store.close();
	});

	it('on start cancels the runs a killed server left open, so none says running forever', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-sim-'));
		dirs.push(dir);
		const store = new SqliteStore(path.join(dir, 'demo.db'));
		const ingest = new IngestService(store, new ServerMetrics());
		// What a SIGKILL leaves behind: runs started, never finished.
		const left = (await ingest.startRun('automation', 'nightly-etl', 'Nightly ETL')).value;
		const other = (await ingest.startRun('automation', 'somebody-else', undefined)).value;
		const simulator = new Simulator(ingest, {rate: 50, random: seeded(3)});
		await simulator.start();
		await simulator.stop();
		expect((await store.getRun(left.runId))?.status).toBe('cancelled');
		// Runs of entities the demo does not own are not its to cancel.
		expect((await store.getRun(other.runId))?.status).toBe('running');
		await store.close();
	});
});
