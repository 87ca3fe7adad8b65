import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {Simulator} from '../../source/demo/simulator.js';
import {DEMO_ENTITIES} from '../../source/demo/workload.js';
import type {TaskSummary} from '../../source/protocol/api.js';
import type {Run} from '../../source/protocol/record.js';
import {IngestService} from '../../source/server/ingest/ingest-service.js';
import {ServerMetrics} from '../../source/server/metrics.js';
import {summarizeTasks} from '../../source/server/run-summaries.js';
import {SqliteStore} from '../../source/server/store/sqlite/sqlite-store.js';

/* The demo reports each step's start and result through IngestService, so its runs' tasks are reported, not derived. */

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

const childOf = (task: TaskSummary) => task.taskId ?? task.artifactId;

describe('demo simulator, task reports', () => {
	const dirs: string[] = [];
	afterEach(() => {
		for (const dir of dirs.splice(0)) {rmSync(dir, {recursive: true, force: true});}
	});

	it('reports each step running as it starts and its result as it ends; after a failure or a stop the rest are skipped', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-sim-reports-'));
		dirs.push(dir);
		const store = new SqliteStore(path.join(dir, 'demo.db'));
		const runs: Run[] = [];
		const open = new Set<string>();
		store.feed.subscribe((event) => {
			if (event.type === 'run-started') {
				runs.push(event.run);
				open.add(event.run.runId);
			}

			if (event.type === 'completed') {open.delete(event.run.runId);}
		});
		const tasksOf = async (run: Run) => {
			const now = (await store.getRun(run.runId))!;
			return summarizeTasks(now, await store.runChildren(run.runId), await store.taskReports(run.runId));
		};

		const simulator = new Simulator(new IngestService(store, new ServerMetrics()), {rate: 50, random: seeded(11)});
		const start = Date.parse('2026-11-22T10:00:00Z');
		await simulator.tick(start);
		// From its first moment a run says which step runs, in the producer's word; the steps still to come (named
		// by its plan lines) are derived as queued, not running, and have no duration.
		expect(runs).toHaveLength(DEMO_ENTITIES.length);
		for (const run of runs) {
			const entity = DEMO_ENTITIES.find((each) => each.id === (run.automationId ?? run.pipelineId))!;
			const tasks = await tasksOf(run);
			expect(tasks.map((task) => [childOf(task), task.state, task.reported])).toEqual(
				entity.children.map((child, index) => (index === 0 ? [child, 'running', true] : [child, 'queued', false])),
			);
			expect(tasks[0]!.startedAt).toBeDefined();
			expect(tasks.slice(1).map((task) => task.durationMs)).toEqual(entity.children.slice(1).map(() => 0));
		}

		// Three simulated minutes, and on until a run is under way for stop() to cancel.
		for (let step = 1; step < 1800 || open.size === 0; step++) {await simulator.tick(start + step * 100);}
		await simulator.stop();

		const ended = await Promise.all(runs.map(async (run) => ({run: (await store.getRun(run.runId))!, tasks: await tasksOf(run)})));
		const succeeded = ended.filter(({run}) => run.status === 'succeeded');
		const failed = ended.filter(({run}) => run.status === 'failed');
		const cancelled = ended.filter(({run}) => run.status === 'cancelled');
		expect(succeeded.length).toBeGreaterThan(10);
		expect(failed.length).toBeGreaterThan(0);
		expect(cancelled.length).toBeGreaterThan(0);
		// Every step of every run ended with a result the simulator reported: none is derived.
		for (const {tasks} of ended) {
			expect(tasks.every((task) => task.reported && task.finishedAt !== undefined)).toBe(true);
		}

		for (const {tasks} of succeeded) {
			expect(new Set(tasks.map((task) => task.state))).toEqual(new Set(['succeeded']));
			expect(tasks.every((task) => task.startedAt! <= task.finishedAt!)).toBe(true);
		}

		// One step failed (or was cancelled at stop); those before it succeeded, those after it never ran.
		for (const [{tasks}, result] of [...failed.map((each) => [each, 'failed'] as const), ...cancelled.map((each) => [each, 'cancelled'] as const)]) {
			const states = tasks.map((task) => task.state);
			const at = states.indexOf(result);
			expect(states).toEqual(states.map((_state, index) => (index < at ? 'succeeded' : index === at ? result : 'skipped')));
			expect(tasks.slice(at + 1).every((task) => task.startedAt === undefined)).toBe(true);
		}

		await store.close();
	});
});
