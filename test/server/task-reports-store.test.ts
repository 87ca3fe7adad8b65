import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {IdempotencyKeyReused, RunFinished, RunNotFound} from '../../source/server/store/errors.js';
import type {LogStore} from '../../source/server/store/log-store.js';
import {openStore} from '../../source/server/store/open-store.js';
import {acquirePostgres, createTestDatabase, databaseQuery, pgSuite, releasePostgres, testPostgres, type TestDatabase} from '../helpers/test-postgres.js';

/*
 * Task reports in the store contract (log-store.ts, reportTask and taskReports), on both stores, and a store
 * from before reports (SQLite: a file without the table; PostgreSQL: schema 2) taking them once reopened.
 */

const postgres = await testPostgres();

type Backend = {
	name: string;
	skip: boolean;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	open(): Promise<LogStore>;
	/** With the store closed: makes it as a dbtail from before reports left it. */
	unreport(): Promise<void>;
	/** PostgreSQL's schema_version (SQLite keeps none: its tables are made where missing). */
	schemaVersion(): Promise<string | undefined>;
};

function sqliteBackend(): Backend {
	let dir = '';
	return {
		name: 'SQLite',
		skip: false,
		async setup() {
			dir = mkdtempSync(path.join(tmpdir(), 'dbtail-reports-'));
		},
		async teardown() {
			rmSync(dir, {recursive: true, force: true});
		},
		async open() {
			return openStore(path.join(dir, 'logs.db'), {log() {}});
		},
		async unreport() {
			const db = new Database(path.join(dir, 'logs.db'));
			db.exec('DROP TABLE run_task_reports');
			db.close();
		},
		async schemaVersion() {
			return undefined;
		},
	};
}

function postgresBackend(): Backend {
	let database: TestDatabase | undefined;
	return {
		name: pgSuite('PostgreSQL', postgres),
		skip: 'missing' in postgres,
		async setup() {
			if (!('missing' in postgres)) {database = await createTestDatabase(await acquirePostgres(), 'reports');}
		},
		async teardown() {
			if (!database) {return;}
			await database.drop();
			await releasePostgres();
		},
		async open() {
			return openStore(database!.url, {log() {}, poolSize: 2});
		},
		async unreport() {
			await databaseQuery(
				database!.url,
				"DROP FUNCTION dbtail.report_task; DROP TABLE dbtail.run_task_reports; UPDATE dbtail.meta SET value = '2' WHERE key = 'schema_version'",
			);
		},
		async schemaVersion() {
			const {rows} = await databaseQuery(database!.url, "SELECT value FROM dbtail.meta WHERE key = 'schema_version'");
			return (rows[0] as {value: string}).value;
		},
	};
}

describe.each([sqliteBackend(), postgresBackend()])('task reports in the store on $name', (backend) => {
	const stores: LogStore[] = [];
	const open = async () => {
		const store = await backend.open();
		stores.push(store);
		return store;
	};

	beforeAll(async () => backend.setup());
	afterAll(async () => backend.teardown());
	afterEach(async () => {
		await Promise.all(stores.splice(0).map(async (store) => store.close()));
	});

	it.skipIf(backend.skip)('stores reports of a running run in the order first reported, and refuses them once it finished', async () => {
		const store = await open();
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(run.runId, [{level: 'INFO', message: 'a', timestamp: '2026-11-22T10:00:00.000Z', childId: 'extract'}]);
		const top = await store.top();
		expect((await store.reportTask(run.runId, 'load', 'running', '2026-11-22T10:00:01.000Z')).value).toEqual({taskId: 'load', state: 'running', startedAt: '2026-11-22T10:00:01.000Z'});
		await store.reportTask(run.runId, 'extract', 'succeeded', '2026-11-22T10:00:02.000Z');
		// The state it has already: nothing changes, not even the time.
		await store.reportTask(run.runId, 'extract', 'succeeded', '2026-11-22T10:00:09.000Z');
		await store.reportTask(run.runId, 'load', 'failed', '2026-11-22T10:00:03.000Z');
		expect(await store.taskReports(run.runId)).toEqual([
			{childId: 'load', state: 'failed', startedAt: '2026-11-22T10:00:01.000Z', finishedAt: '2026-11-22T10:00:03.000Z', afterId: top, reportNo: 1},
			{childId: 'extract', state: 'succeeded', finishedAt: '2026-11-22T10:00:02.000Z', afterId: top, reportNo: 2},
		]);
		const key = {scope: `task:${run.runId}/automation/load`, key: 'k', fingerprint: 'one'};
		const first = await store.reportTask(run.runId, 'load', 'running', '2026-11-22T10:00:04.000Z', key);
		expect(first).toEqual({value: {taskId: 'load', state: 'running', startedAt: '2026-11-22T10:00:01.000Z'}, replayed: false});
		expect(await store.reportTask(run.runId, 'load', 'running', '2026-11-22T10:00:04.000Z', key)).toEqual({...first, replayed: true});
		await expect(store.reportTask(run.runId, 'load', 'running', '2026-11-22T10:00:04.000Z', {...key, fingerprint: 'two'})).rejects.toThrow(IdempotencyKeyReused);

		await store.finishRun(run.runId, 'failed');
		await expect(store.reportTask(run.runId, 'load', 'succeeded', '2026-11-22T10:00:05.000Z')).rejects.toThrow(RunFinished);
		await expect(store.reportTask('r-99', 'load', 'succeeded', '2026-11-22T10:00:05.000Z')).rejects.toThrow(RunNotFound);
		const pipelineRun = (await store.createRun('pipeline', 'report', undefined)).value;
		expect((await store.reportTask(pipelineRun.runId, 'csv', 'skipped', '2026-11-22T10:00:06.000Z')).value).toEqual({artifactId: 'csv', state: 'skipped', finishedAt: '2026-11-22T10:00:06.000Z'});
		expect(await store.taskReports('r-99')).toEqual([]);
	});

	it.skipIf(backend.skip)('takes reports on a store from before them, once reopened, its runs and counters as they were', async () => {
		const store = await open();
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(run.runId, [{level: 'ERROR', message: 'boom', timestamp: '2026-11-22T10:00:00.000Z', childId: 'load'}]);
		await store.close();
		stores.pop();
		await backend.unreport();

		const again = await open();
		expect((await again.countedRun(run.runId))?.counts).toEqual({lines: 1, warnings: 0, errors: 1});
		expect(await again.taskReports(run.runId)).toEqual([]);
		await again.reportTask(run.runId, 'load', 'failed', '2026-11-22T10:00:01.000Z');
		expect((await again.taskReports(run.runId)).map((report) => [report.childId, report.state])).toEqual([['load', 'failed']]);
		expect(await backend.schemaVersion()).toBe(backend.name === 'SQLite' ? undefined : '3');
	});
});
