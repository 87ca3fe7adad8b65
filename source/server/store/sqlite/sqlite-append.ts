import {levelRank} from '../../../protocol/levels.js';
import type {StoredLogRecord} from '../../../protocol/record.js';
import {tallyLines} from '../line-tally.js';
import {toRecord, type LogRow, type RunRow} from '../rows.js';
import type {NewLine} from '../types.js';
import type {SqliteDb} from './statements.js';

const INSERT_LOG = 'INSERT INTO logs (run_id, seq, kind, entity_id, child_id, ts, level, message, stream, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

const ADD_SHARE = `
INSERT INTO run_children (run_id, child_id, first_id, last_id, first_ts, last_ts, lines, warnings, errors, first_error_id)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (run_id, child_id) DO UPDATE SET
	last_id = excluded.last_id, first_ts = MIN(first_ts, excluded.first_ts), last_ts = MAX(last_ts, excluded.last_ts),
	lines = lines + excluded.lines, warnings = warnings + excluded.warnings, errors = errors + excluded.errors,
	first_error_id = COALESCE(first_error_id, excluded.first_error_id)`;

/**
 * A batch into a running run, inside the store's write transaction (the caller checked the run): the lines
 * with their seqs, the tasks they name into `children`, and what they add to the run's and each task's
 * counters (line-tally.ts), so the run list and the task summary never count logs.
 */
export function insertLines(db: SqliteDb, run: RunRow, lines: NewLine[]): StoredLogRecord[] {
	const insert = db.stmt(INSERT_LOG);
	const child = db.stmt('INSERT OR IGNORE INTO children (kind, entity_id, child_id, first_id) VALUES (?, ?, ?, ?)');
	const children = new Set<string>();
	let seq = run.last_seq;
	const rows: LogRow[] = [];
	for (const line of lines) {
		seq++;
		const row: LogRow = {
			id: 0,
			run_id: run.run_id,
			seq,
			kind: run.kind,
			entity_id: run.entity_id,
			child_id: line.childId ?? null,
			ts: line.timestamp,
			level: levelRank(line.level),
			message: line.message,
			stream: line.stream ?? null,
			metadata: line.metadata === undefined ? null : JSON.stringify(line.metadata),
		};
		const info = insert.run(row.run_id, row.seq, row.kind, row.entity_id, row.child_id, row.ts, row.level, row.message, row.stream, row.metadata);
		row.id = Number(info.lastInsertRowid);
		rows.push(row);
		if (line.childId !== undefined && !children.has(line.childId)) {
			children.add(line.childId);
			child.run(run.kind, run.entity_id, line.childId, row.id);
		}
	}

	const tally = tallyLines(rows);
	db.stmt('UPDATE runs SET last_seq = ?, lines = lines + ?, warnings = warnings + ?, errors = errors + ? WHERE run_id = ?').run(
		seq,
		tally.run.lines,
		tally.run.warnings,
		tally.run.errors,
		run.run_id,
	);
	const share = db.stmt(ADD_SHARE);
	for (const [childId, part] of tally.children) {
		share.run(run.run_id, childId, part.firstId, part.lastId, part.firstAt, part.lastAt, part.lines, part.warnings, part.errors, part.firstErrorId);
	}

	return rows.map((row) => toRecord(row));
}
