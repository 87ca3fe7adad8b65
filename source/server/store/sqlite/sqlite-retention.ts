import type {Scope} from '../scope.js';
import {scopeWhere} from './scope-sql.js';
import type {SqliteDb} from './statements.js';

/*
 * Retention on the SQLite file: deletes a prefix of the ids, and tallies per scope group what it deleted
 * (purged_scopes), so a stream is told of purged lines only when they were its own.
 */

/** Adds the records retention is about to delete (id <= ?) to the per-scope tally of purged_scopes. */
const RECORD_PURGED_SCOPES = `
INSERT INTO purged_scopes (kind, entity_id, child_id, run_id, first_id, last_id, count)
SELECT kind, entity_id, COALESCE(child_id, ''), run_id, MIN(id), MAX(id), COUNT(*) FROM logs WHERE id <= ?
GROUP BY kind, entity_id, COALESCE(child_id, ''), run_id
ON CONFLICT (kind, child_id, entity_id, run_id) DO UPDATE SET
	first_id = MIN(first_id, excluded.first_id), last_id = MAX(last_id, excluded.last_id), count = count + excluded.count`;

export function purgedThrough(db: SqliteDb): number {
	return Number(db.meta('purged_through') ?? 0);
}

/** Keeps the newest `retain` records; returns how many were deleted. */
export function prune(db: SqliteDb, retain: number): number {
	return db.write(() => {
		const max = (db.stmt('SELECT MAX(id) AS id FROM logs').get() as {id: number | null}).id ?? 0;
		const cutoff = max - retain;
		if (cutoff <= purgedThrough(db)) {return 0;}
		db.stmt(RECORD_PURGED_SCOPES).run(cutoff);
		const deleted = db.stmt('DELETE FROM logs WHERE id <= ?').run(cutoff).changes;
		db.stmt("INSERT OR REPLACE INTO meta (key, value) VALUES ('purged_through', ?)").run(String(cutoff));
		return deleted;
	});
}

/**
 * What retention deleted from a scope after id `after`: undefined when none of its records were;
 * else `count`, when it can be known exactly (a purged group of the scope that straddles `after` can't say).
 */
export function purgedAfter(db: SqliteDb, scope: Scope, after: number): {count?: number} | undefined {
	if (scope.kind === 'all' && scope.runId === undefined) {
		// Ids have no gaps and retention deletes a prefix of them: the count is exact.
		const through = purgedThrough(db);
		return after < through ? {count: through - after} : undefined;
	}

	if (untrackedPurgeMayCover(db, scope, after)) {return {};}
	const where = scopeWhere(scope);
	const row = db.stmt(
		`SELECT COUNT(*) AS groups, SUM(count) AS count, MIN(first_id) AS first FROM purged_scopes WHERE ${where.sql} AND last_id > ?`,
	).get(...where.params, after) as {groups: number; count: number | null; first: number | null};
	if (row.groups === 0) {return undefined;}
	return row.first! > after ? {count: row.count!} : {};
}

/** Whether lines of this scope after `after` may have gone in a purge from before purged_scopes (schema.ts). */
function untrackedPurgeMayCover(db: SqliteDb, scope: Scope, after: number): boolean {
	if (after >= Number(db.meta('untracked_purged_through') ?? 0)) {return false;}
	if (scope.runId === undefined) {return true;}
	const run = db.stmt('SELECT seq_no FROM runs WHERE run_id = ?').get(scope.runId) as {seq_no: number} | undefined;
	return run !== undefined && run.seq_no <= Number(db.meta('untracked_purged_last_run') ?? 0);
}
