import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {RunFinished, RunNotFound, StoreInUse, StoreUnavailable} from '../../source/server/store/errors.js';
import {SqliteStore as LogStore, type NewLine} from '../../source/server/store/sqlite/sqlite-store.js';

const line = (message: string, childId?: string): NewLine => ({level: 'INFO', message, timestamp: '2026-11-22T10:00:00.000Z', ...(childId ? {childId} : {})});

describe('LogStore', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-store-'));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	it('keeps its epoch across reopen, numbers ids and seqs without gaps, and never reuses an id after retention', async () => {
		const file = path.join(dir, 'a.db');
		const store = new LogStore(file);
		const {epoch} = store;
		const run = (await store.createRun('automation', 'etl', 'Nightly')).value;
		expect((await store.appendLogs(run.runId, [line('a'), line('b')])).records.map((record) => [record.id, record.seq])).toEqual([['1', 1], ['2', 2]]);
		expect(await store.prune(0)).toBe(2);
		await store.close();

		const again = new LogStore(file);
		expect(again.epoch).toBe(epoch);
		expect((await again.appendLogs(run.runId, [line('c')])).records.map((record) => [record.id, record.seq])).toEqual([['3', 3]]);
		// Purged through 2: both lines counted exactly; the oldest held is 3.
		expect(await again.purgedAfter({kind: 'all'}, 0)).toEqual({count: 2});
		expect((await again.history({kind: 'all'}, {limit: 1})).records.map((record) => record.id)).toEqual(['3']);
		await again.close();
		expect(new LogStore(path.join(dir, 'b.db')).epoch).not.toBe(epoch);
	});

	it('answers where tails start and which run a resume point was on', async () => {
		const store = new LogStore(path.join(dir, 'a.db'));
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
		expect(await store.owners('automation', 'x')).toEqual(['etl']);
		await store.close();
	});

	it('refuses a file another store holds within a second, and takes it once that one is closed', async () => {
		const file = path.join(dir, 'a.db');
		const first = new LogStore(file);
		expect(() => new LogStore(file)).toThrow(/the store .*a\.db is in use by another process/);
		await first.close();
		await new LogStore(file).close();
	});

	it('opens a file made before tasks were ordered by first appearance', async () => {
		const file = path.join(dir, 'old.db');
		const old = new Database(file);
		old.exec('CREATE TABLE children (kind TEXT NOT NULL, entity_id TEXT NOT NULL, child_id TEXT NOT NULL, PRIMARY KEY (kind, entity_id, child_id)) WITHOUT ROWID');
		old.close();
		const store = new LogStore(file);
		const run = (await store.createRun('pipeline', 'report', undefined)).value;
		await store.appendLogs(run.runId, [line('a', 'csv')]);
		expect((await store.catalog()).pipelines).toEqual([{id: 'report', artifacts: ['csv'], currentRun: expect.objectContaining({runId: run.runId})}]);
		await store.close();
	});

	it('says what it refuses in its own errors, not in HTTP terms', async () => {
		const store = new LogStore(path.join(dir, 'a.db'));
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.finishRun(run.runId, 'succeeded');
		await expect(store.appendLogs('r-99', [line('a')])).rejects.toThrow(RunNotFound);
		await expect(store.appendLogs(run.runId, [line('a')])).rejects.toThrow(RunFinished);
		await expect(store.finishRun(run.runId, 'failed')).rejects.toThrow(RunFinished);
		expect(() => new LogStore(path.join(dir, 'a.db'))).toThrow(StoreInUse);
		expect(() => new LogStore(path.join(dir, 'missing', 'b.db'))).toThrow(StoreUnavailable);
		expect(() => new LogStore(dir)).toThrow(StoreUnavailable);
		await store.close();
	});
});
