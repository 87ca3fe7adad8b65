import type Database from 'better-sqlite3';
import type {Catalog} from '../../../protocol/api.js';
import {levelRank, type Level} from '../../../protocol/levels.js';
import type {Run, RunResult, StoredLogRecord} from '../../../protocol/record.js';
import {RunFinished, RunNotFound, StoreFull} from '../errors.js';
import type {EntityKind, HistoryQuery, NewLine} from '../types.js';
import {openDatabase, type Durability} from './schema.js';
import {LOG_COLUMNS, logRowFrom, toRecord, toRun, type LogRow, type LogTuple, type RunRow} from './rows.js';
import type {Scope} from '../scope.js';
import {scopeWhere} from './scope-sql.js';

export type {EntityKind, HistoryQuery, NewLine} from '../types.js';

/** Adds the records retention is about to delete (id <= ?) to the per-scope tally of purged_scopes. */
const RECORD_PURGED_SCOPES = `
INSERT INTO purged_scopes (kind, entity_id, child_id, run_id, first_id, last_id, count)
SELECT kind, entity_id, COALESCE(child_id, ''), run_id, MIN(id), MAX(id), COUNT(*) FROM logs WHERE id <= ?
GROUP BY kind, entity_id, COALESCE(child_id, ''), run_id
ON CONFLICT (kind, child_id, entity_id, run_id) DO UPDATE SET
	first_id = MIN(first_id, excluded.first_id), last_id = MAX(last_id, excluded.last_id), count = count + excluded.count`;

/**
 * Runs, their log records and the entities they belong to, in one SQLite file. Every write is one
 * transaction; ids come from SQLite (INTEGER PRIMARY KEY) inside it, so they are strictly increasing.
 */
export class LogStore {
	readonly epoch: string;
	readonly #db: Database.Database;
	readonly #statements = new Map<string, Database.Statement>();

	constructor(file: string, durability: Durability = 'normal') {
		this.#db = openDatabase(file, durability);
		this.epoch = this.#meta('epoch')!;
	}

	createRun(kind: EntityKind, entityId: string, name: string | undefined, now = new Date()): Run {
		return this.#write(() => {
			const next = (this.#stmt('SELECT COALESCE(MAX(seq_no), 0) + 1 AS n FROM runs').get() as {n: number}).n;
			const runId = `r-${next}`;
			this.#stmt(
				"INSERT INTO runs (seq_no, run_id, kind, entity_id, name, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
			).run(next, runId, kind, entityId, name ?? null, now.toISOString());
			return this.getRun(runId)!;
		});
	}

	/** Stores a batch atomically: every line or none. Throws RunNotFound or RunFinished. */
	appendLogs(runId: string, lines: NewLine[]): StoredLogRecord[] {
		return this.#write(() => {
			const run = this.#runRow(runId);
			if (!run) {throw new RunNotFound(runId);}
			if (run.status !== 'running') {
				throw new RunFinished(`run "${runId}" already finished (${run.status}): it takes no more lines`);
			}

			const insert = this.#stmt(
				'INSERT INTO logs (run_id, seq, kind, entity_id, child_id, ts, level, message, stream, metadata) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
			);
			const child = this.#stmt('INSERT OR IGNORE INTO children (kind, entity_id, child_id, first_id) VALUES (?, ?, ?, ?)');
			const children = new Set<string>();
			let seq = run.last_seq;
			const rows: LogRow[] = [];
			for (const line of lines) {
				seq++;
				const row: LogRow = {
					id: 0,
					run_id: runId,
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
				const info = insert.run(
					row.run_id, row.seq, row.kind, row.entity_id, row.child_id, row.ts, row.level, row.message, row.stream, row.metadata,
				);
				row.id = Number(info.lastInsertRowid);
				rows.push(row);
				if (line.childId !== undefined && !children.has(line.childId)) {
					children.add(line.childId);
					child.run(run.kind, run.entity_id, line.childId, row.id);
				}
			}

			this.#stmt('UPDATE runs SET last_seq = ? WHERE run_id = ?').run(seq, runId);
			return rows.map((row) => toRecord(row));
		});
	}

	finishRun(runId: string, result: RunResult, now = new Date()): Run {
		return this.#write(() => {
			const run = this.#runRow(runId);
			if (!run) {throw new RunNotFound(runId);}
			if (run.status !== 'running') {
				throw new RunFinished(`run "${runId}" already finished (${run.status})`);
			}

			this.#stmt('UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ?').run(result, now.toISOString(), runId);
			return this.getRun(runId)!;
		});
	}

	getRun(runId: string): Run | undefined {
		const row = this.#runRow(runId);
		return row ? toRun(row) : undefined;
	}

	/** The newest run of an automation or pipeline. */
	currentRun(kind: EntityKind, entityId: string): Run | undefined {
		const row = this.#stmt('SELECT * FROM runs WHERE kind = ? AND entity_id = ? ORDER BY seq_no DESC LIMIT 1').get(kind, entityId) as
			| RunRow
			| undefined;
		return row ? toRun(row) : undefined;
	}

	/** The automations (pipelines) a task (artifact) id belongs to. */
	owners(kind: EntityKind, childId: string): string[] {
		const rows = this.#stmt('SELECT entity_id FROM children WHERE kind = ? AND child_id = ?').all(kind, childId) as Array<{
			entity_id: string;
		}>;
		return rows.map((row) => row.entity_id);
	}

	/** The newest run among the entities that own a task or artifact. */
	currentRunOfChild(kind: EntityKind, childId: string): Run | undefined {
		const row = this.#stmt(
			'SELECT runs.* FROM runs JOIN children ON children.kind = runs.kind AND children.entity_id = runs.entity_id WHERE children.kind = ? AND children.child_id = ? ORDER BY runs.seq_no DESC LIMIT 1',
		).get(kind, childId) as RunRow | undefined;
		return row ? toRun(row) : undefined;
	}

	/** Records of a scope in id order: the first `limit` after `after`, or with `tail` the last `limit`. */
	history(scope: Scope, query: HistoryQuery, tail = false): StoredLogRecord[] {
		const where = scopeWhere(scope);
		const parts = [where.sql];
		const params = [...where.params];
		if (query.after !== undefined) {
			parts.push('id > ?');
			params.push(query.after);
		}

		if (query.before !== undefined) {
			parts.push('id < ?');
			params.push(query.before);
		}

		if (query.level !== undefined) {
			parts.push('level >= ?');
			params.push(levelRank(query.level));
		}

		if (query.fromTime !== undefined) {
			parts.push('ts >= ?');
			params.push(query.fromTime);
		}

		params.push(query.limit);
		const sql = `SELECT ${LOG_COLUMNS} FROM logs WHERE ${parts.join(' AND ')} ORDER BY id ${tail ? 'DESC' : 'ASC'} LIMIT ?`;
		const rows = (this.#stmt(sql).raw(true).all(...params) as LogTuple[]).map((tuple) => toRecord(logRowFrom(tuple)));
		return tail ? rows.reverse() : rows;
	}

	/** The id just before the last `count` records of a scope (0 when it has fewer): where a tail starts. */
	idBeforeLast(scope: Scope, count: number, level?: Level): number {
		const where = scopeWhere(scope);
		const levelSql = level === undefined ? '' : ' AND level >= ?';
		const params = level === undefined ? where.params : [...where.params, levelRank(level)];
		const row = this.#stmt(`SELECT id FROM logs WHERE ${where.sql}${levelSql} ORDER BY id DESC LIMIT 1 OFFSET ?`).get(
			...params,
			count - 1,
		) as {id: number} | undefined;
		return row ? row.id - 1 : 0;
	}

	/** The run of the last record of a scope at or before `id`: the run a client resuming from `id` was on. */
	runAt(scope: Scope, id: number): string | undefined {
		const where = scopeWhere(scope);
		const row = this.#stmt(`SELECT run_id FROM logs WHERE ${where.sql} AND id <= ? ORDER BY id DESC LIMIT 1`).get(...where.params, id) as
			| {run_id: string}
			| undefined;
		return row?.run_id;
	}

	catalog(): Catalog {
		const runs = this.#stmt('SELECT * FROM runs WHERE seq_no IN (SELECT MAX(seq_no) FROM runs GROUP BY kind, entity_id) ORDER BY entity_id').all() as RunRow[];
		const children = this.#stmt('SELECT * FROM children ORDER BY first_id').all() as Array<{kind: EntityKind; entity_id: string; child_id: string}>;
		const childrenOf = (kind: EntityKind, id: string) =>
			children.filter((row) => row.kind === kind && row.entity_id === id).map((row) => row.child_id);
		return {
			automations: runs
				.filter((row) => row.kind === 'automation')
				.map((row) => ({id: row.entity_id, tasks: childrenOf('automation', row.entity_id), currentRun: toRun(row)})),
			pipelines: runs
				.filter((row) => row.kind === 'pipeline')
				.map((row) => ({id: row.entity_id, artifacts: childrenOf('pipeline', row.entity_id), currentRun: toRun(row)})),
		};
	}

	/** The highest id ever purged by retention (0 when nothing was). */
	purgedThrough(): number {
		return Number(this.#meta('purged_through') ?? 0);
	}

	/** The highest id ever given (retention may have deleted it since); 0 for a new store. */
	lastId(): number {
		const row = this.#stmt("SELECT seq FROM sqlite_sequence WHERE name = 'logs'").get() as {seq: number} | undefined;
		return row?.seq ?? 0;
	}

	oldestId(): number | undefined {
		return (this.#stmt('SELECT MIN(id) AS id FROM logs').get() as {id: number | null}).id ?? undefined;
	}

	/**
	 * What retention deleted from a scope after id `after`: undefined when none of its records were;
	 * else `count`, when it can be known exactly (a purged group of the scope that straddles `after` can't say).
	 */
	purgedAfter(scope: Scope, after: number): {count?: number} | undefined {
		if (scope.kind === 'all' && scope.runId === undefined) {
			// Ids have no gaps and retention deletes a prefix of them: the count is exact.
			const through = this.purgedThrough();
			return after < through ? {count: through - after} : undefined;
		}

		if (this.#untrackedPurgeMayCover(scope, after)) {return {};}
		const where = scopeWhere(scope);
		const row = this.#stmt(
			`SELECT COUNT(*) AS groups, SUM(count) AS count, MIN(first_id) AS first FROM purged_scopes WHERE ${where.sql} AND last_id > ?`,
		).get(...where.params, after) as {groups: number; count: number | null; first: number | null};
		if (row.groups === 0) {return undefined;}
		return row.first! > after ? {count: row.count!} : {};
	}

	/** Keeps the newest `retain` records; returns how many were deleted. */
	prune(retain: number): number {
		return this.#write(() => {
			const max = (this.#stmt('SELECT MAX(id) AS id FROM logs').get() as {id: number | null}).id ?? 0;
			const cutoff = max - retain;
			if (cutoff <= this.purgedThrough()) {return 0;}
			this.#stmt(RECORD_PURGED_SCOPES).run(cutoff);
			const deleted = this.#stmt('DELETE FROM logs WHERE id <= ?').run(cutoff).changes;
			this.#stmt("INSERT OR REPLACE INTO meta (key, value) VALUES ('purged_through', ?)").run(String(cutoff));
			return deleted;
		});
	}

	/**
	 * One write transaction. A full disk is the operator's to fix, not a fault of ours: it becomes StoreFull
	 * (SQLite has rolled the transaction back, so nothing of it is stored) and the next write may succeed.
	 */
	#write<T>(work: () => T): T {
		try {
			return this.#db.transaction(work)();
		} catch (error) {
			if ((error as {code?: string}).code === 'SQLITE_FULL') {
				throw new StoreFull('the disk under the store is full: nothing of this write was stored; free space on the server and send it again');
			}

			throw error;
		}
	}

	close(): void {
		this.#db.close();
	}

	/** Whether lines of this scope after `after` may have gone in a purge from before purged_scopes (schema.ts). */
	#untrackedPurgeMayCover(scope: Scope, after: number): boolean {
		if (after >= Number(this.#meta('untracked_purged_through') ?? 0)) {return false;}
		if (scope.runId === undefined) {return true;}
		const run = this.#runRow(scope.runId);
		return run !== undefined && run.seq_no <= Number(this.#meta('untracked_purged_last_run') ?? 0);
	}

	#runRow(runId: string): RunRow | undefined {
		return this.#stmt('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined;
	}

	#meta(key: string): string | undefined {
		return (this.#stmt('SELECT value FROM meta WHERE key = ?').get(key) as {value: string} | undefined)?.value;
	}

	#stmt(sql: string): Database.Statement {
		let statement = this.#statements.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}

		return statement;
	}
}
