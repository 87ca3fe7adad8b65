import type {Scope} from '../scope.js';
import type {PgPool} from './pg-pool.js';
import {RETENTION_LOCK} from './pg-schema.js';
import {pgScopeWhere} from './pg-scope-sql.js';

/*
 * Retention on PostgreSQL, as on SQLite (sqlite-retention.ts): a prefix of the ids is deleted and tallied
 * per scope group. One instance at a time: the prune takes a transaction-scoped advisory lock with
 * pg_try_advisory_xact_lock, and an instance that finds it taken skips its turn (another is pruning to
 * the same rule). It does not take the commit lock: it touches only ids below every write in flight.
 */

const PURGED_THROUGH = "SELECT value FROM dbtail.meta WHERE key = 'purged_through'";

const RECORD_PURGED_SCOPES = `
INSERT INTO dbtail.purged_scopes AS p (kind, entity_id, child_id, run_id, first_id, last_id, count)
SELECT kind, entity_id, COALESCE(child_id, ''), run_id, MIN(id), MAX(id), COUNT(*) FROM dbtail.logs WHERE id > $1 AND id <= $2
GROUP BY kind, entity_id, COALESCE(child_id, ''), run_id
ON CONFLICT (kind, child_id, entity_id, run_id) DO UPDATE SET
	first_id = LEAST(p.first_id, excluded.first_id), last_id = GREATEST(p.last_id, excluded.last_id), count = p.count + excluded.count`;

export async function prune(db: PgPool, retain: number): Promise<number> {
	return db.transaction(async (client) => {
		const {rows: [lock]} = await client.query<{got: boolean}>(`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS got`);
		if (!lock!.got) {return 0;}
		const max = Number((await client.query<{id: string | null}>('SELECT MAX(id) AS id FROM dbtail.logs')).rows[0]!.id ?? 0);
		const through = Number((await client.query<{value: string}>(PURGED_THROUGH)).rows[0]?.value ?? 0);
		const cutoff = max - retain;
		if (cutoff <= through) {return 0;}
		await client.query(RECORD_PURGED_SCOPES, [through, cutoff]);
		const deleted = await client.query('DELETE FROM dbtail.logs WHERE id > $1 AND id <= $2', [through, cutoff]);
		await client.query(
			"INSERT INTO dbtail.meta (key, value) VALUES ('purged_through', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
			[String(cutoff)],
		);
		return deleted.rowCount ?? 0;
	});
}

export async function purgedAfter(db: PgPool, scope: Scope, after: number): Promise<{count?: number} | undefined> {
	if (scope.kind === 'all' && scope.runId === undefined) {
		// Ids have no gaps (a counter under the commit lock) and retention deletes a prefix: the count is exact.
		const through = Number((await db.query<{value: string}>({name: 'dbtail_purged_through', text: PURGED_THROUGH})).rows[0]?.value ?? 0);
		return after < through ? {count: through - after} : undefined;
	}

	const params: unknown[] = [];
	const where = pgScopeWhere(scope, params);
	params.push(after);
	const {rows: [row]} = await db.query<{groups: string; count: string | null; first: string | null}>({
		text: `SELECT COUNT(*) AS groups, SUM(count) AS count, MIN(first_id) AS first FROM dbtail.purged_scopes WHERE ${where} AND last_id > $${params.length}`,
		values: params,
	});
	if (Number(row!.groups) === 0) {return undefined;}
	return Number(row!.first) > after ? {count: Number(row!.count)} : {};
}

export async function expireIdempotencyKeys(db: PgPool, ageMs: number): Promise<number> {
	const result = await db.query({text: "DELETE FROM dbtail.idempotency WHERE created_at < now() - $1 * interval '1 millisecond'", values: [ageMs]});
	return result.rowCount ?? 0;
}
