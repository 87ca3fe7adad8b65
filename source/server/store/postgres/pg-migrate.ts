import {randomBytes} from 'node:crypto';
import type pg from 'pg';
import {StoreUnavailable} from '../errors.js';
import {COMMIT_LOCK, ERROR_RANK, FUNCTIONS, MIGRATE_LOCK, SCHEMA_VERSION, TABLES, WARN_RANK} from './pg-schema.js';

/*
 * How a database gets to the schema of pg-schema.ts, from nothing or from an older dbtail's. Tables and
 * columns are created where missing (TABLES says IF NOT EXISTS throughout) and the functions replaced;
 * what an older schema lacks in data is filled here, once:
 *   1 → 2: the run counters are counted from the logs retention left (fillRunCounters).
 *   2 → 3: task reports start empty: a run's tasks are derived as before until producers report them.
 * A database set up by a newer dbtail is refused: this instance would put back functions that do less.
 */

/**
 * Counts, once, what a database of schema 1 holds (what retention left of it): from then on append_logs keeps
 * the counters. Under the commit lock, inside the migration's transaction, after the new append_logs is in
 * place: no write of another instance falls between the count and the function that keeps it.
 */
async function fillRunCounters(client: pg.ClientBase): Promise<void> {
	await client.query(`SELECT pg_advisory_xact_lock(${COMMIT_LOCK})`);
	await client.query(`
		INSERT INTO dbtail.run_children (run_id, child_id, first_id, last_id, first_ts, last_ts, lines, warnings, errors, first_error_id)
			SELECT run_id, coalesce(child_id, ''), min(id), max(id), min(ts), max(ts), count(*),
				count(*) FILTER (WHERE level = ${WARN_RANK}), count(*) FILTER (WHERE level >= ${ERROR_RANK}),
				min(id) FILTER (WHERE level >= ${ERROR_RANK})
			FROM dbtail.logs GROUP BY run_id, coalesce(child_id, '')
		ON CONFLICT DO NOTHING`);
	await client.query(`
		UPDATE dbtail.runs r SET lines = t.lines, warnings = t.warnings, errors = t.errors
		FROM (SELECT run_id, sum(lines) AS lines, sum(warnings) AS warnings, sum(errors) AS errors FROM dbtail.run_children GROUP BY run_id) t
		WHERE t.run_id = r.run_id`);
}

export type SchemaFacts = {epoch: string; signingKey: Buffer};

/**
 * Creates or migrates the schema, safely when several instances start at once: under a session advisory
 * lock, so one does the work and the others then find it done. The epoch (one per database) and the
 * stream-token signing key are made here, once.
 */
export async function migrate(client: pg.ClientBase): Promise<SchemaFacts> {
	await client.query(`SELECT pg_advisory_lock(${MIGRATE_LOCK})`);
	try {
		await client.query('BEGIN');
		await client.query(TABLES);
		const version = await client.query<{value: string}>("SELECT value FROM dbtail.meta WHERE key = 'schema_version'");
		const found = Number(version.rows[0]?.value ?? SCHEMA_VERSION);
		if (found > SCHEMA_VERSION) {
			throw new StoreUnavailable(`the database was set up by a newer dbtail (schema ${found}; this one knows ${SCHEMA_VERSION}): upgrade this instance`);
		}

		await client.query(FUNCTIONS);
		if (found < 2) {await fillRunCounters(client);}
		const facts = [
			['schema_version', String(SCHEMA_VERSION)],
			['epoch', randomBytes(6).toString('hex')],
			['stream_token_key', randomBytes(32).toString('base64')],
		];
		for (const [key, value] of facts) {
			await client.query('INSERT INTO dbtail.meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING', [key, value]);
		}

		await client.query("UPDATE dbtail.meta SET value = $1 WHERE key = 'schema_version'", [String(SCHEMA_VERSION)]);
		const meta = await client.query<{key: string; value: string}>("SELECT key, value FROM dbtail.meta WHERE key IN ('epoch', 'stream_token_key')");
		await client.query('COMMIT');
		const value = (key: string) => meta.rows.find((row) => row.key === key)!.value;
		return {epoch: value('epoch'), signingKey: Buffer.from(value('stream_token_key'), 'base64')};
	} catch (error) {
		await client.query('ROLLBACK').catch(() => {});
		throw error;
	} finally {
		await client.query(`SELECT pg_advisory_unlock(${MIGRATE_LOCK})`).catch(() => {});
	}
}
