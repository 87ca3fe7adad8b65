import {childCountsOf, storedTaskReportOf, toRun, type RunChildRow, type TaskReportRow} from '../rows.js';
import {runOrdinal} from '../log-store.js';
import type {ChildCounts, CountedRun, EntityKind, RunsQuery, StoredTaskReport} from '../types.js';
import type {PgPool} from './pg-pool.js';
import {named, runRowOf} from './pg-reads.js';

/*
 * The run list and a run's tasks on PostgreSQL: reads of the counters append_logs keeps (pg-schema.ts), an
 * index range of runs_by_entity and the run's run_children and run_task_reports rows, never a count over logs.
 */

const COLUMNS = 'seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq, lines, warnings, errors';

const countedRunOf = (row: Record<string, unknown>): CountedRun => ({
	run: toRun(runRowOf(row)),
	counts: {lines: Number(row.lines), warnings: Number(row.warnings), errors: Number(row.errors)},
});

export async function runsOf(db: PgPool, kind: EntityKind, entityId: string, query: RunsQuery): Promise<CountedRun[]> {
	const text = `SELECT ${COLUMNS} FROM dbtail.runs WHERE kind = $1 AND entity_id = $2 AND seq_no < $3 ORDER BY seq_no DESC LIMIT $4`;
	const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : runOrdinal(query.before);
	const result = await db.query<Record<string, unknown>>({name: named(text), text, values: [kind, entityId, before, query.limit]});
	return result.rows.map((row) => countedRunOf(row));
}

export async function countedRun(db: PgPool, runId: string): Promise<CountedRun | undefined> {
	const text = `SELECT ${COLUMNS} FROM dbtail.runs WHERE run_id = $1`;
	const result = await db.query<Record<string, unknown>>({name: named(text), text, values: [runId]});
	return result.rows[0] ? countedRunOf(result.rows[0]) : undefined;
}

export async function runChildren(db: PgPool, runId: string): Promise<ChildCounts[]> {
	const text = `SELECT c.*, l.message AS first_error_message FROM dbtail.run_children c LEFT JOIN dbtail.logs l ON l.id = c.first_error_id
		WHERE c.run_id = $1 AND c.child_id <> '' ORDER BY c.first_id`;
	const result = await db.query<RunChildRow>({name: named(text), text, values: [runId]});
	return result.rows.map((row) => childCountsOf(row));
}

export async function taskReports(db: PgPool, runId: string): Promise<StoredTaskReport[]> {
	const text = 'SELECT child_id, state, started_at, finished_at, after_id, report_no FROM dbtail.run_task_reports WHERE run_id = $1 ORDER BY report_no';
	const result = await db.query<TaskReportRow>({name: named(text), text, values: [runId]});
	return result.rows.map((row) => storedTaskReportOf(row));
}
