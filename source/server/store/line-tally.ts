import {levelRank} from '../../protocol/levels.js';
import type {LineCounts} from './types.js';

const WARN_RANK = levelRank('WARN');
const ERROR_RANK = levelRank('ERROR');

/** A batch's share of one task (artifact) of a run: what its run_children row grows by. */
export type ChildTally = LineCounts & {firstId: number; lastId: number; firstAt: string; lastAt: string; firstErrorId: number | null};

/**
 * What a stored batch adds to its run's counters and to each of its tasks' (child '' for lines of none), in
 * one pass: the SQLite store adds them in the append's transaction. (PostgreSQL does the same in SQL,
 * dbtail.append_logs in pg-schema.ts.) WARN counts as a warning, ERROR and FATAL as errors.
 */
export function tallyLines(rows: ReadonlyArray<{id: number; child_id: string | null; ts: string; level: number}>): {
	run: LineCounts;
	children: Map<string, ChildTally>;
} {
	const run: LineCounts = {lines: 0, warnings: 0, errors: 0};
	const children = new Map<string, ChildTally>();
	for (const row of rows) {
		const warning = row.level === WARN_RANK ? 1 : 0;
		const error = row.level >= ERROR_RANK ? 1 : 0;
		run.lines++;
		run.warnings += warning;
		run.errors += error;
		const key = row.child_id ?? '';
		const part = children.get(key);
		if (part) {
			part.lastId = row.id;
			if (row.ts < part.firstAt) {part.firstAt = row.ts;}
			if (row.ts > part.lastAt) {part.lastAt = row.ts;}
			part.lines++;
			part.warnings += warning;
			part.errors += error;
			if (error && part.firstErrorId === null) {part.firstErrorId = row.id;}
		} else {
			children.set(key, {
				firstId: row.id,
				lastId: row.id,
				firstAt: row.ts,
				lastAt: row.ts,
				lines: 1,
				warnings: warning,
				errors: error,
				firstErrorId: error ? row.id : null,
			});
		}
	}

	return {run, children};
}
