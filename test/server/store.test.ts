import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {RunFinished, RunNotFound, StoreInUse, StoreUnavailable} from '../../source/server/store/errors.js';
import {scopeMatches, type Scope} from '../../source/server/store/scope.js';
import {LogStore, type NewLine} from '../../source/server/store/sqlite/log-store.js';

const line = (message: string, childId?: string): NewLine => ({level: 'INFO', message, timestamp: '2026-11-22T10:00:00.000Z', ...(childId ? {childId} : {})});

describe('LogStore', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-store-'));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	it('keeps its epoch across reopen, numbers ids and seqs without gaps, and never reuses an id after retention', () => {
		const file = path.join(dir, 'a.db');
		const store = new LogStore(file);
		const {epoch} = store;
		const run = store.createRun('automation', 'etl', 'Nightly');
		expect(store.appendLogs(run.runId, [line('a'), line('b')]).map((record) => [record.id, record.seq])).toEqual([['1', 1], ['2', 2]]);
		expect(store.prune(0)).toBe(2);
		store.close();

		const again = new LogStore(file);
		expect(again.epoch).toBe(epoch);
		expect(again.appendLogs(run.runId, [line('c')]).map((record) => [record.id, record.seq])).toEqual([['3', 3]]);
		expect(again.purgedThrough()).toBe(2);
		expect(again.oldestId()).toBe(3);
		again.close();
		expect(new LogStore(path.join(dir, 'b.db')).epoch).not.toBe(epoch);
	});

	it('answers where tails start and which run a resume point was on', () => {
		const store = new LogStore(path.join(dir, 'a.db'));
		const first = store.createRun('automation', 'etl', undefined);
		store.appendLogs(first.runId, [line('1', 'x'), line('2', 'y'), line('3', 'x')]);
		const second = store.createRun('automation', 'etl', undefined);
		store.appendLogs(second.runId, [line('4', 'x')]);
		expect(store.idBeforeLast({kind: 'automation', id: 'etl', runId: first.runId}, 2)).toBe(1);
		expect(store.idBeforeLast({kind: 'automation', id: 'etl', runId: first.runId}, 10)).toBe(0);
		expect(store.runAt({kind: 'task', id: 'x'}, 3)).toBe(first.runId);
		expect(store.runAt({kind: 'task', id: 'x'}, 4)).toBe(second.runId);
		expect(store.runAt({kind: 'task', id: 'y'}, 1)).toBeUndefined();
		expect(store.currentRunOfChild('automation', 'y')?.runId).toBe(second.runId);
		expect(store.owners('automation', 'x')).toEqual(['etl']);
		store.close();
	});

	it('refuses a file another store holds within a second, and takes it once that one is closed', () => {
		const file = path.join(dir, 'a.db');
		const first = new LogStore(file);
		expect(() => new LogStore(file)).toThrow(/the store .*a\.db is in use by another process/);
		first.close();
		new LogStore(file).close();
	});

	it('opens a file made before tasks were ordered by first appearance', () => {
		const file = path.join(dir, 'old.db');
		const old = new Database(file);
		old.exec('CREATE TABLE children (kind TEXT NOT NULL, entity_id TEXT NOT NULL, child_id TEXT NOT NULL, PRIMARY KEY (kind, entity_id, child_id)) WITHOUT ROWID');
		old.close();
		const store = new LogStore(file);
		const run = store.createRun('pipeline', 'report', undefined);
		store.appendLogs(run.runId, [line('a', 'csv')]);
		expect(store.catalog().pipelines).toEqual([{id: 'report', artifacts: ['csv'], currentRun: expect.objectContaining({runId: run.runId})}]);
		store.close();
	});

	it('selects in SQL exactly the records scopeMatches accepts live, for every kind of scope', () => {
		const store = new LogStore(path.join(dir, 'a.db'));
		// Two automations sharing a task name, a pipeline with an artifact of the same name, two runs each.
		for (const [kind, entity] of [['automation', 'etl'], ['automation', 'sync'], ['pipeline', 'report']] as const) {
			for (let n = 0; n < 2; n++) {
				const run = store.createRun(kind, entity, undefined);
				store.appendLogs(run.runId, [line(`${entity} ${n}`), line(`${entity} ${n} x`, 'x'), line(`${entity} ${n} y`, 'y')]);
			}
		}

		const everything = store.history({kind: 'all'}, {limit: 1000});
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
			const stored = store.history(scope, {limit: 1000}).map((record) => record.id);
			expect(stored, JSON.stringify(scope)).toEqual(live);
		}

		// Tasks belong to automations only, artifacts to pipelines only.
		expect(store.history({kind: 'task', id: 'x'}, {limit: 1000})).toHaveLength(4);
		expect(store.history({kind: 'artifact', id: 'x'}, {limit: 1000})).toHaveLength(2);
		store.close();
	});

	it('says what it refuses in its own errors, not in HTTP terms', () => {
		const store = new LogStore(path.join(dir, 'a.db'));
		const run = store.createRun('automation', 'etl', undefined);
		store.finishRun(run.runId, 'succeeded');
		expect(() => store.appendLogs('r-99', [line('a')])).toThrow(RunNotFound);
		expect(() => store.appendLogs(run.runId, [line('a')])).toThrow(RunFinished);
		expect(() => store.finishRun(run.runId, 'failed')).toThrow(RunFinished);
		expect(() => new LogStore(path.join(dir, 'a.db'))).toThrow(StoreInUse);
		expect(() => new LogStore(path.join(dir, 'missing', 'b.db'))).toThrow(StoreUnavailable);
		expect(() => new LogStore(dir)).toThrow(StoreUnavailable);
		store.close();
	});
});
