import type {TaskReport, TaskState} from '../../../protocol/api.js';
import {storedTaskReportOf, taskReportOf, type RunRow, type TaskReportRow} from '../rows.js';
import type {StoredTaskReport} from '../types.js';
import type {SqliteDb} from './statements.js';

/*
 * Task reports on the SQLite file (run_task_reports, schema.ts): written inside the store's write
 * transaction, after it checked the run, so the same rules hold as for lines (log-store.ts, reportTask).
 */

/**
 * `running` keeps the first `started_at` and clears `finished_at`; another state sets `finished_at`; the
 * state the task already has changes nothing (the WHERE), so a report sent twice is stored once.
 */
const UPSERT = `
INSERT INTO run_task_reports (run_id, child_id, state, started_at, finished_at, after_id, report_no)
	VALUES (?, ?, ?, ?, ?, ?, (SELECT COUNT(*) + 1 FROM run_task_reports WHERE run_id = ?))
ON CONFLICT (run_id, child_id) DO UPDATE SET
	state = excluded.state, started_at = COALESCE(started_at, excluded.started_at), finished_at = excluded.finished_at
	WHERE state <> excluded.state`;

/**
 * Stores one report on a running run; `top` is the highest log id so far. A reported task exists as one that
 * logged does (the catalog, its stream), listed as if its first line came next. Answers the report as stored.
 */
export function storeTaskReport(db: SqliteDb, run: RunRow, childId: string, state: TaskState, at: string, top: number): TaskReport {
	const started = state === 'running' ? at : null;
	const finished = state === 'running' ? null : at;
	db.stmt(UPSERT).run(run.run_id, childId, state, started, finished, top, run.run_id);
	db.stmt('INSERT OR IGNORE INTO children (kind, entity_id, child_id, first_id) VALUES (?, ?, ?, ?)').run(run.kind, run.entity_id, childId, top + 1);
	const row = db.stmt('SELECT * FROM run_task_reports WHERE run_id = ? AND child_id = ?').get(run.run_id, childId) as TaskReportRow;
	return taskReportOf(run.kind, storedTaskReportOf(row));
}

export function taskReports(db: SqliteDb, runId: string): StoredTaskReport[] {
	const rows = db.stmt('SELECT * FROM run_task_reports WHERE run_id = ? ORDER BY report_no').all(runId) as TaskReportRow[];
	return rows.map((row) => storedTaskReportOf(row));
}
