import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {openDatabase} from '../../source/server/store/sqlite/schema.js';
import {scopeWhere} from '../../source/server/store/sqlite/scope-sql.js';
import type {Scope} from '../../source/server/store/scope.js';

/*
 * A scope with a run reads the run's index: SQLite preferred the entity's (or task's) for its id order and
 * scanned the entity from its first record to reach an older run, 26 ms per 200,000 records before it.
 */

const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-plan-'));
const db = openDatabase(path.join(dir, 'logs.db'));
afterAll(() => {
	db.close();
	rmSync(dir, {recursive: true, force: true});
});

function plan(scope: Scope, order: 'ASC' | 'DESC'): string {
	const where = scopeWhere(scope);
	const rows = db.prepare(`EXPLAIN QUERY PLAN SELECT * FROM logs WHERE ${where.sql} ORDER BY id ${order} LIMIT 100`).all(...where.params) as Array<{detail: string}>;
	return rows.map((row) => row.detail).join('; ');
}

describe('the SQLite scope conditions', () => {
	it.each<[Scope, RegExp]>([
		[{kind: 'automation', id: 'etl', runId: 'r-4'}, /USING INDEX logs_by_run \(run_id=\?\)/],
		[{kind: 'task', id: 'load', runId: 'r-4'}, /USING INDEX logs_by_run \(run_id=\?\)/],
		[{kind: 'automation', id: 'etl'}, /USING INDEX logs_by_entity/],
		[{kind: 'task', id: 'load'}, /USING INDEX logs_by_child/],
	])('read %j through the index that holds it', (scope, index) => {
		expect(plan(scope, 'ASC')).toMatch(index);
		expect(plan(scope, 'DESC')).toMatch(index);
	});
});
