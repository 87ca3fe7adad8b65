import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {IdempotencyKeyReused, RunFinished, RunNotFound} from '../../source/server/store/errors.js';
import {runOrdinal, type LogStore} from '../../source/server/store/log-store.js';
import {openStore} from '../../source/server/store/open-store.js';
import {scopeMatches, type Scope} from '../../source/server/store/scope.js';
import type {FeedEvent, NewLine} from '../../source/server/store/types.js';
import {acquirePostgres, createTestDatabase, databaseQuery, pgSuite, releasePostgres, testPostgres, type TestDatabase} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';

/*
 * The store contract (source/server/store/log-store.ts), held to both implementations by one suite: what
 * the server may rely on, whichever database is under it.
 */

const postgres = await testPostgres();
const line = (message: string, childId?: string): NewLine => ({level: 'INFO', message, timestamp: '2026-11-22T10:00:00.000Z', ...(childId ? {childId} : {})});

type Backend = {
	name: string;
	skip: boolean;
	open(): Promise<LogStore>;
	reset(): Promise<void>;
	setup(): Promise<void>;
	teardown(): Promise<void>;
	/** With the store closed: takes its run counters away, as a store from before them was (`halfWay`: adds back the columns only). */
	uncount(halfWay?: boolean): Promise<void>;
};

function sqliteBackend(): Backend {
	let dir = '';
	return {
		name: 'SQLite',
		skip: false,
		async setup() {},
		async teardown() {},
		async reset() {
			if (dir) {rmSync(dir, {recursive: true, force: true});}
			dir = mkdtempSync(path.join(tmpdir(), 'dbtail-contract-'));
		},
		async open() {
			return openStore(path.join(dir, 'logs.db'), {log() {}});
		},
		async uncount(halfWay = false) {
			const db = new Database(path.join(dir, 'logs.db'));
			db.exec(
				halfWay
					? 'ALTER TABLE runs ADD COLUMN lines INTEGER NOT NULL DEFAULT 0'
					: 'DROP TABLE run_children; ALTER TABLE runs DROP COLUMN lines; ALTER TABLE runs DROP COLUMN warnings; ALTER TABLE runs DROP COLUMN errors',
			);
			db.close();
		},
	};
}

function postgresBackend(): Backend {
	let database: TestDatabase | undefined;
	return {
		name: pgSuite('PostgreSQL', postgres),
		skip: 'missing' in postgres,
		async setup() {
			if (!('missing' in postgres)) {database = await createTestDatabase(await acquirePostgres(), 'contract');}
		},
		async teardown() {
			if (!database) {return;}
			await database.drop();
			await releasePostgres();
		},
		async reset() {
			await databaseQuery(database!.url, 'DROP SCHEMA IF EXISTS dbtail CASCADE');
		},
		async open() {
			return openStore(database!.url, {log() {}, poolSize: 4});
		},
		async uncount() {
			await databaseQuery(
				database!.url,
				"DROP TABLE dbtail.run_children; ALTER TABLE dbtail.runs DROP COLUMN lines, DROP COLUMN warnings, DROP COLUMN errors; UPDATE dbtail.meta SET value = '1' WHERE key = 'schema_version'",
			);
		},
	};
}

describe.each([sqliteBackend(), postgresBackend()])('the store contract on $name', (backend) => {
	const stores: LogStore[] = [];
	const open = async () => {
		const store = await backend.open();
		stores.push(store);
		return store;
	};

	beforeAll(async () => backend.setup());
	afterAll(async () => backend.teardown());
	beforeEach(async () => {
		if (!backend.skip) {await backend.reset();}
	});
	afterEach(async () => {
		await Promise.all(stores.splice(0).map(async (store) => store.close()));
	});

	it.skipIf(backend.skip)('numbers ids and seqs without gaps, keeps its epoch across reopen, never reuses an id after retention', async () => {
		const store = await open();
		const run = (await store.createRun('automation', 'etl', 'Nightly')).value;
		expect(run).toMatchObject({runId: 'r-1', status: 'running', automationId: 'etl', name: 'Nightly'});
		expect((await store.appendLogs(run.runId, [line('a'), line('b')])).records.map((record) => [record.id, record.seq])).toEqual([['1', 1], ['2', 2]]);
		expect(await store.prune(0)).toBe(2);
		expect(await store.top()).toBe(2);
		const {epoch} = store;
		await store.close();
		stores.pop();

		const again = await open();
		expect(again.epoch).toBe(epoch);
		expect((await again.appendLogs(run.runId, [line('c')])).records.map((record) => [record.id, record.seq])).toEqual([['3', 3]]);
		expect(await again.purgedAfter({kind: 'all'}, 0)).toEqual({count: 2});
		expect(await again.purgedAfter({kind: 'all'}, 2)).toBeUndefined();
		const page = await again.history({kind: 'all'}, {limit: 10});
		expect(page).toEqual({records: [expect.objectContaining({id: '3', seq: 3, message: 'c'})], top: 3});
		const second = (await again.createRun('pipeline', 'report', undefined)).value.runId;
		expect([second, runOrdinal(second) > runOrdinal(run.runId), runOrdinal('nightly')]).toEqual(['r-2', true, 0]);
	});

	it.skipIf(backend.skip)('answers where tails start, which run a resume point was on, and who owns a task', async () => {
		const store = await open();
		const first = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(first.runId, [line('1', 'x'), line('2', 'y'), line('3', 'x')]);
		const second = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(second.runId, [line('4', 'x')]);
		expect(await store.idBeforeLast({kind: 'automation', id: 'etl', runId: first.runId}, 2)).toBe(1);
		expect(await store.idBeforeLast({kind: 'automation', id: 'etl', runId: first.runId}, 10)).toBe(0);
		expect(await store.runAt({kind: 'task', id: 'x'}, 3)).toBe(first.runId);
		expect(await store.runAt({kind: 'task', id: 'x'}, 4)).toBe(second.runId);
		expect(await store.runAt({kind: 'task', id: 'y'}, 1)).toBeUndefined();
		expect((await store.currentRunOfChild('automation', 'y'))?.runId).toBe(second.runId);
		expect((await store.currentRun('automation', 'etl'))?.runId).toBe(second.runId);
		expect(await store.owners('automation', 'x')).toEqual(['etl']);
		const tail = await store.history({kind: 'all'}, {limit: 2, order: 'desc'});
		expect(tail.records.map((record) => record.message)).toEqual(['3', '4']);
	});

	it.skipIf(backend.skip)('pages a scope backwards with order desc: the records just before an id, ascending, within both bounds and the level', async () => {
		const store = await open();
		const first = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(first.runId, Array.from({length: 6}, (_, n) => ({...line(`a${n}`, n % 2 ? 'x' : undefined), level: n % 3 ? 'INFO' : 'ERROR'})));
		const other = (await store.createRun('automation', 'sync', undefined)).value;
		await store.appendLogs(other.runId, [line('other')]);
		const second = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(second.runId, [line('b0'), line('b1')]);
		const messages = async (scope: Scope, query: Parameters<LogStore['history']>[1]) => (await store.history(scope, query)).records.map((record) => record.message);
		const etl: Scope = {kind: 'automation', id: 'etl'};

		expect(await messages(etl, {before: 8, limit: 3, order: 'desc'})).toEqual(['a3', 'a4', 'a5']);
		expect(await messages(etl, {before: 4, limit: 3, order: 'desc'})).toEqual(['a0', 'a1', 'a2']);
		expect(await messages(etl, {before: 2, limit: 3, order: 'desc'})).toEqual(['a0']);
		expect(await messages(etl, {before: 1, limit: 3, order: 'desc'})).toEqual([]);
		// No upper bound: the newest; both bounds: the end of the range nearest `before`.
		expect(await messages(etl, {limit: 3, order: 'desc'})).toEqual(['a5', 'b0', 'b1']);
		expect(await messages(etl, {after: 1, before: 5, limit: 2, order: 'desc'})).toEqual(['a2', 'a3']);
		expect(await messages(etl, {after: 3, before: 5, limit: 9, order: 'desc'})).toEqual(['a3']);
		expect(await messages({...etl, runId: second.runId}, {before: 9, limit: 5, order: 'desc'})).toEqual(['b0']);
		expect(await messages({kind: 'task', id: 'x'}, {before: 6, limit: 2, order: 'desc'})).toEqual(['a1', 'a3']);
		expect(await messages(etl, {before: 9, level: 'ERROR', limit: 1, order: 'desc'})).toEqual(['a3']);
		// The same range ascending starts at its other end.
		expect(await messages(etl, {after: 1, before: 5, limit: 2, order: 'asc'})).toEqual(['a1', 'a2']);
	});

	it.skipIf(backend.skip)('selects in SQL exactly the records scopeMatches accepts live, for every kind of scope', async () => {
		const store = await open();
		for (const [kind, entity] of [['automation', 'etl'], ['automation', 'sync'], ['pipeline', 'report']] as const) {
			for (let n = 0; n < 2; n++) {
				const run = (await store.createRun(kind, entity, undefined)).value;
				await store.appendLogs(run.runId, [line(`${entity} ${n}`), line(`${entity} ${n} x`, 'x'), line(`${entity} ${n} y`, 'y')]);
			}
		}

		const everything = (await store.history({kind: 'all'}, {limit: 1000})).records;
		expect(everything).toHaveLength(18);
		const scopes: Scope[] = [
			{kind: 'all'},
			{kind: 'all', runId: 'r-3'},
			{kind: 'automation', id: 'etl'},
			{kind: 'automation', id: 'sync', runId: 'r-4'},
			{kind: 'pipeline', id: 'report'},
			{kind: 'task', id: 'x'},
			{kind: 'task', id: 'y', runId: 'r-1'},
			{kind: 'artifact', id: 'x'},
			{kind: 'automation', id: 'nobody'},
		];
		for (const scope of scopes) {
			const live = everything.filter((record) => scopeMatches(scope, record)).map((record) => record.id);
			expect((await store.history(scope, {limit: 1000})).records.map((record) => record.id), JSON.stringify(scope)).toEqual(live);
		}

		// Tasks belong to automations only, artifacts to pipelines only.
		expect((await store.history({kind: 'task', id: 'x'}, {limit: 1000})).records).toHaveLength(4);
		expect((await store.history({kind: 'artifact', id: 'x'}, {limit: 1000})).records).toHaveLength(2);
	});

	it.skipIf(backend.skip)('lists the catalog by id in byte order, tasks in the order they first logged', async () => {
		const store = await open();
		for (const id of ['beta', 'Alpha', 'alpha']) {
			const run = (await store.createRun('automation', id, undefined)).value;
			await store.appendLogs(run.runId, [line('1', 'load'), line('2', 'extract'), line('3', 'load')]);
		}

		const catalog = await store.catalog();
		expect(catalog.automations.map((entry) => [entry.id, entry.tasks])).toEqual([
			['Alpha', ['load', 'extract']],
			['alpha', ['load', 'extract']],
			['beta', ['load', 'extract']],
		]);
	});

	it.skipIf(backend.skip)('the catalog follows every change at once: a new entity, a new task, a new run, a finish, pipelines apart', async () => {
		const store = await open();
		const first = (await store.createRun('automation', 'etl', undefined)).value;
		const names = async () => {
			const catalog = await store.catalog();
			return [
				...catalog.automations.map((entry) => `${entry.id}:${entry.tasks.join('+')}:${entry.currentRun?.runId}:${entry.currentRun?.status}`),
				...catalog.pipelines.map((entry) => `${entry.id}:${entry.artifacts.join('+')}:${entry.currentRun?.runId}:${entry.currentRun?.status}`),
			];
		};

		expect(await names()).toEqual([`etl::${first.runId}:running`]);
		await store.appendLogs(first.runId, [line('a', 'load')]);
		expect(await names()).toEqual([`etl:load:${first.runId}:running`]);
		await store.appendLogs(first.runId, [line('b', 'extract'), line('c', 'load')]);
		expect(await names()).toEqual([`etl:load+extract:${first.runId}:running`]);
		await store.finishRun(first.runId, 'failed');
		expect(await names()).toEqual([`etl:load+extract:${first.runId}:failed`]);
		const second = (await store.createRun('automation', 'etl', undefined)).value;
		const pipeline = (await store.createRun('pipeline', 'aaa', undefined)).value;
		await store.appendLogs(pipeline.runId, [line('p', 'csv')]);
		expect(await names()).toEqual([`etl:load+extract:${second.runId}:running`, `aaa:csv:${pipeline.runId}:running`]);
	});

	it.skipIf(backend.skip)('feeds every write after its commit, in commit order, as history has it', async () => {
		const store = await open();
		const events: FeedEvent[] = [];
		store.feed.subscribe((event) => events.push(event));
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(run.runId, [line('a', 'x'), line('b')]);
		await store.appendLogs(run.runId, [line('c')]);
		const finished = (await store.finishRun(run.runId, 'failed')).value;
		await until(() => events.length === 4, 'four feed events');
		expect(events.map((event) => event.type)).toEqual(['run-started', 'logs', 'logs', 'completed']);
		expect(events[0]).toEqual({type: 'run-started', run});
		const fed = events.flatMap((event) => (event.type === 'logs' ? event.records : []));
		expect(fed).toEqual((await store.history({kind: 'all'}, {limit: 10})).records);
		expect(events[3]).toEqual({type: 'completed', run: finished, durationMs: Date.parse(finished.finishedAt!) - Date.parse(finished.startedAt)});
		expect(await store.getRun(run.runId)).toEqual(finished);
	});

	it.skipIf(backend.skip)('stores a write with an Idempotency-Key once, answers a retry as the first time, refuses the key for another body', async () => {
		const store = await open();
		const events: FeedEvent[] = [];
		store.feed.subscribe((event) => events.push(event));
		const key = (scope: string, name: string, fingerprint = 'body-1') => ({scope, key: name, fingerprint});
		const made = await store.createRun('automation', 'etl', undefined, key('runs', 'k'));
		const again = await store.createRun('automation', 'etl', undefined, key('runs', 'k'));
		expect([made.replayed, again.replayed, again.value.runId]).toEqual([false, true, made.value.runId]);
		const runId = made.value.runId;

		const first = await store.appendLogs(runId, [line('a'), line('b')], key(`logs:${runId}`, 'k'));
		const retry = await store.appendLogs(runId, [line('a'), line('b')], key(`logs:${runId}`, 'k'));
		expect(first).toMatchObject({replayed: false, value: {firstId: '1', lastId: '2', count: 2}});
		expect(retry).toEqual({replayed: true, value: {firstId: '1', lastId: '2', count: 2}, records: []});
		await expect(store.appendLogs(runId, [line('other')], key(`logs:${runId}`, 'k', 'body-2'))).rejects.toThrow(IdempotencyKeyReused);

		const done = await store.finishRun(runId, 'succeeded', key(`finish:${runId}`, 'k'));
		const doneAgain = await store.finishRun(runId, 'succeeded', key(`finish:${runId}`, 'k'));
		expect(doneAgain).toEqual({replayed: true, value: done.value});
		await until(() => events.length === 3, 'the feed');
		expect(events.map((event) => event.type)).toEqual(['run-started', 'logs', 'completed']);
		expect((await store.history({kind: 'all'}, {limit: 10})).records).toHaveLength(2);

		expect(await store.expireIdempotencyKeys(60_000)).toBe(0);
		expect(await store.expireIdempotencyKeys(-60_000)).toBe(3);
		await expect(store.finishRun(runId, 'succeeded', key(`finish:${runId}`, 'k'))).rejects.toThrow(RunFinished);
	});

	it.skipIf(backend.skip)('tallies what retention deleted per scope, exactly where it can', async () => {
		const store = await open();
		const a = (await store.createRun('automation', 'a', undefined)).value;
		await store.appendLogs(a.runId, [line('a1'), line('a2'), line('a3', 'y')]);
		const b = (await store.createRun('automation', 'b', undefined)).value;
		await store.appendLogs(b.runId, [line('b1'), line('b2'), line('b3')]);
		expect(await store.prune(3)).toBe(3);
		expect(await store.prune(3)).toBe(0);
		expect(await store.purgedAfter({kind: 'automation', id: 'a'}, 0)).toEqual({count: 3});
		expect(await store.purgedAfter({kind: 'task', id: 'y'}, 0)).toEqual({count: 1});
		// After 1, a's plain lines were purged on both sides of the point: some, not how many.
		expect(await store.purgedAfter({kind: 'automation', id: 'a'}, 1)).toEqual({});
		expect(await store.purgedAfter({kind: 'automation', id: 'a'}, 2)).toEqual({count: 1});
		expect(await store.purgedAfter({kind: 'automation', id: 'b'}, 0)).toBeUndefined();
		expect(await store.purgedAfter({kind: 'all'}, 1)).toEqual({count: 2});
	});

	it.skipIf(backend.skip)('says what it refuses in its own errors, and whether it can be reached', async () => {
		const store = await open();
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.finishRun(run.runId, 'succeeded');
		await expect(store.appendLogs('r-99', [line('a')])).rejects.toThrow(RunNotFound);
		await expect(store.appendLogs(run.runId, [line('a')])).rejects.toThrow(RunFinished);
		await expect(store.finishRun(run.runId, 'failed')).rejects.toThrow(RunFinished);
		await expect(store.finishRun('r-99', 'failed')).rejects.toThrow(RunNotFound);
		expect(await store.health()).toEqual({store: store.kind, reachable: true});
	});

	it.skipIf(backend.skip)('keeps each run\'s and each task\'s counters at ingest, lists runs newest first in pages, and counts a store from before the counters once', async () => {
		const store = await open();
		const at = (level: NewLine['level'], message: string, childId: string | undefined, second: number): NewLine => ({
			...line(message, childId),
			level,
			timestamp: `2026-11-22T10:00:${String(second).padStart(2, '0')}.000Z`,
		});
		const first = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(first.runId, [at('INFO', 'start', undefined, 0), at('WARN', 'slow', 'extract', 1), at('ERROR', 'boom', 'load', 3)]);
		await store.appendLogs(first.runId, [at('FATAL', 'dead', 'load', 5), at('INFO', 'late', 'extract', 2), at('WARN', 'w', 'extract', 4)]);
		await store.finishRun(first.runId, 'failed');
		await store.createRun('automation', 'other', undefined);
		const second = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(second.runId, [at('INFO', 'x', 'extract', 9)]);
		const third = (await store.createRun('automation', 'etl', undefined)).value;

		const listed = async () => (await store.runsOf('automation', 'etl', {limit: 10})).map(({run, counts}) => [run.runId, run.status, counts]);
		const expected = [
			[third.runId, 'running', {lines: 0, warnings: 0, errors: 0}],
			[second.runId, 'running', {lines: 1, warnings: 0, errors: 0}],
			[first.runId, 'failed', {lines: 6, warnings: 2, errors: 2}],
		];
		expect(await listed()).toEqual(expected);
		expect((await store.runsOf('automation', 'etl', {before: third.runId, limit: 1})).map(({run}) => run.runId)).toEqual([second.runId]);
		expect(await store.runsOf('automation', 'etl', {before: first.runId, limit: 5})).toEqual([]);
		expect(await store.runsOf('pipeline', 'etl', {limit: 5})).toEqual([]);
		expect((await store.countedRun(first.runId))?.counts).toEqual({lines: 6, warnings: 2, errors: 2});
		const children = await store.runChildren(first.runId);
		const expectedChildren = [
			{childId: 'extract', firstId: 2, lastId: 6, firstAt: '2026-11-22T10:00:01.000Z', lastAt: '2026-11-22T10:00:04.000Z', lines: 3, warnings: 2, errors: 0, firstErrorId: null},
			{childId: 'load', firstId: 3, lastId: 4, firstAt: '2026-11-22T10:00:03.000Z', lastAt: '2026-11-22T10:00:05.000Z', lines: 2, warnings: 0, errors: 2, firstErrorId: 3, firstErrorMessage: 'boom'},
		];
		expect(children).toEqual(expectedChildren);

		await store.close();
		stores.pop();
		await backend.uncount();
		const again = await open();
		expect((await again.runsOf('automation', 'etl', {limit: 10})).map(({run, counts}) => [run.runId, run.status, counts])).toEqual(expected);
		expect(await again.runChildren(first.runId)).toEqual(expectedChildren);
		await again.appendLogs(second.runId, [at('ERROR', 'y', 'extract', 10)]);
		expect((await again.countedRun(second.runId))?.counts).toEqual({lines: 2, warnings: 0, errors: 1});
		// Retention deletes lines, not what was counted: the first ERROR's text goes, its id stays.
		await again.prune(0);
		expect((await again.runChildren(first.runId))[1]).toEqual({...expectedChildren[1], firstErrorMessage: undefined});
	});

	// A file from before the counters, migrated by a process that died half way: SQLite's own migration (PostgreSQL
	// migrates in one transaction), so this case exists in the SQLite suite only.
	const sqliteOnly = backend.name === 'SQLite' ? it : undefined;
	sqliteOnly?.('opens a file whose counter migration died half way (columns added, nothing counted)', async () => {
		const store = await open();
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(run.runId, [{...line('boom', 'load'), level: 'ERROR'}]);
		await store.close();
		stores.pop();
		await backend.uncount();
		await backend.uncount(true);
		const again = await open();
		expect((await again.countedRun(run.runId))?.counts).toEqual({lines: 1, warnings: 0, errors: 1});
	});
});
