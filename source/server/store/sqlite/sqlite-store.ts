import type {Catalog, CreatedRun, IngestResult, TaskReport, TaskState} from '../../../protocol/api.js';
import {levelRank, type Level} from '../../../protocol/levels.js';
import type {Run, RunResult, StoredLogRecord} from '../../../protocol/record.js';
import {RunFinished, RunNotFound} from '../errors.js';
import {replayAnswer} from '../idempotency.js';
import {LocalFeed} from '../local-feed.js';
import {runOrdinal, type LogStore} from '../log-store.js';
import type {Scope} from '../scope.js';
import type {
	AppendResult,
	ChildCounts,
	CountedRun,
	EntityKind,
	HistoryPage,
	HistoryQuery,
	IdempotencyKey,
	LineCounts,
	NewLine,
	RunsQuery,
	StoreHealth,
	StoredTaskReport,
	Written,
} from '../types.js';
import {openDatabase, type Durability} from './schema.js';
import {childCountsOf, historyConditions, LOG_COLUMNS, logRowFrom, storedSize, toRecord, toRun, type RunChildRow, type LogTuple, type RunRow} from '../rows.js';
import {sqliteCatalog} from './sqlite-catalog.js';
import {scopeWhere} from './scope-sql.js';
import {prune, purgedAfter} from './sqlite-retention.js';
import {insertLines} from './sqlite-append.js';
import {SqliteDb} from './statements.js';
import {storeTaskReport, taskReports} from './sqlite-task-reports.js';

export type {EntityKind, HistoryQuery, NewLine} from '../types.js';

const countedRunOf = (row: RunRow & LineCounts): CountedRun => ({run: toRun(row), counts: {lines: row.lines, warnings: row.warnings, errors: row.errors}});

/**
 * Runs, their log records and the entities they belong to, in one SQLite file that one process holds.
 * Every write is one transaction; ids come from SQLite (INTEGER PRIMARY KEY AUTOINCREMENT) inside it,
 * so with one writer they are in commit order. The work is synchronous (better-sqlite3); the methods are
 * async only to share the LogStore contract, and a write is published to the feed before its promise
 * settles, in the same turn as its commit.
 */
export class SqliteStore implements LogStore {
	readonly kind = 'sqlite' as const;
	readonly epoch: string;
	readonly description: string;
	readonly feed = new LocalFeed();
	readonly sharedSigningKey = undefined;
	readonly #db: SqliteDb;

	constructor(file: string, durability: Durability = 'normal') {
		this.#db = new SqliteDb(openDatabase(file, durability));
		this.epoch = this.#db.meta('epoch')!;
		this.description = file;
	}

	async createRun(kind: EntityKind, entityId: string, name: string | undefined, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		const written = this.#db.write((): Written<Run> => {
			const replayed = this.#replay<CreatedRun>(idempotency);
			if (replayed) {
				const made = this.#runRow(replayed.runId);
				if (!made) {throw new RunNotFound(replayed.runId);}
				return {value: toRun(made), replayed: true};
			}

			const next = (this.#db.stmt('SELECT COALESCE(MAX(seq_no), 0) + 1 AS n FROM runs').get() as {n: number}).n;
			const runId = `r-${next}`;
			this.#db.stmt(
				"INSERT INTO runs (seq_no, run_id, kind, entity_id, name, status, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?)",
			).run(next, runId, kind, entityId, name ?? null, new Date().toISOString());
			this.#remember(idempotency, {runId} satisfies CreatedRun);
			return {value: toRun(this.#runRow(runId)!), replayed: false};
		});
		if (!written.replayed) {this.feed.publish({type: 'run-started', run: written.value});}
		return written;
	}

	async appendLogs(runId: string, lines: NewLine[], idempotency?: IdempotencyKey): Promise<AppendResult> {
		const written = this.#db.write((): AppendResult => {
			const replayed = this.#replay<IngestResult>(idempotency);
			if (replayed) {return {value: replayed, replayed: true, records: []};}
			const run = this.#runRow(runId);
			if (!run) {throw new RunNotFound(runId);}
			if (run.status !== 'running') {
				throw new RunFinished(`run "${runId}" already finished (${run.status}): it takes no more lines`);
			}

			const records = insertLines(this.#db, run, lines);
			const value: IngestResult = {firstId: records[0]!.id, lastId: records.at(-1)!.id, count: records.length};
			this.#remember(idempotency, value);
			return {value, replayed: false, records};
		});
		if (!written.replayed) {this.feed.publish({type: 'logs', records: written.records});}
		return written;
	}

	async finishRun(runId: string, result: RunResult, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		const written = this.#db.write((): Written<Run> => {
			const replayed = this.#replay<Run>(idempotency);
			if (replayed) {return {value: replayed, replayed: true};}
			const run = this.#runRow(runId);
			if (!run) {throw new RunNotFound(runId);}
			if (run.status !== 'running') {
				throw new RunFinished(`run "${runId}" already finished (${run.status})`);
			}

			this.#db.stmt('UPDATE runs SET status = ?, finished_at = ? WHERE run_id = ?').run(result, new Date().toISOString(), runId);
			const value = toRun(this.#runRow(runId)!);
			this.#remember(idempotency, value);
			return {value, replayed: false};
		});
		if (!written.replayed) {
			const run = written.value;
			this.feed.publish({type: 'completed', run, durationMs: Date.parse(run.finishedAt!) - Date.parse(run.startedAt)});
		}

		return written;
	}

	async reportTask(runId: string, childId: string, state: TaskState, at: string, idempotency?: IdempotencyKey): Promise<Written<TaskReport>> {
		return this.#db.write((): Written<TaskReport> => {
			const replayed = this.#replay<TaskReport>(idempotency);
			if (replayed) {return {value: replayed, replayed: true};}
			const run = this.#runRow(runId);
			if (!run) {throw new RunNotFound(runId);}
			if (run.status !== 'running') {
				throw new RunFinished(`run "${runId}" already finished (${run.status}): its tasks' states are final`);
			}

			const value = storeTaskReport(this.#db, run, childId, state, at, this.#top());
			this.#remember(idempotency, value);
			return {value, replayed: false};
		});
	}

	async getRun(runId: string): Promise<Run | undefined> {
		const row = this.#runRow(runId);
		return row ? toRun(row) : undefined;
	}

	async currentRun(kind: EntityKind, entityId: string): Promise<Run | undefined> {
		const row = this.#db.stmt('SELECT * FROM runs WHERE kind = ? AND entity_id = ? ORDER BY seq_no DESC LIMIT 1').get(kind, entityId) as
			| RunRow
			| undefined;
		return row ? toRun(row) : undefined;
	}

	async owners(kind: EntityKind, childId: string): Promise<string[]> {
		const rows = this.#db.stmt('SELECT entity_id FROM children WHERE kind = ? AND child_id = ?').all(kind, childId) as Array<{
			entity_id: string;
		}>;
		return rows.map((row) => row.entity_id);
	}

	async currentRunOfChild(kind: EntityKind, childId: string): Promise<Run | undefined> {
		const row = this.#db.stmt(
			'SELECT runs.* FROM runs JOIN children ON children.kind = runs.kind AND children.entity_id = runs.entity_id WHERE children.kind = ? AND children.child_id = ? ORDER BY runs.seq_no DESC LIMIT 1',
		).get(kind, childId) as RunRow | undefined;
		return row ? toRun(row) : undefined;
	}

	async history(scope: Scope, query: HistoryQuery): Promise<HistoryPage> {
		const where = scopeWhere(scope);
		const parts = [where.sql];
		const params = [...where.params];
		for (const [condition, value] of historyConditions(query)) {
			parts.push(`${condition} ?`);
			params.push(value);
		}

		params.push(query.limit);
		const tail = query.order === 'desc';
		const sql = `SELECT ${LOG_COLUMNS} FROM logs WHERE ${parts.join(' AND ')} ORDER BY id ${tail ? 'DESC' : 'ASC'} LIMIT ?`;
		// Row by row (a cursor): with a byte budget the read stops at the record that would pass it, so a page of
		// huge lines holds the budget and one line, never `limit` of them.
		const records: StoredLogRecord[] = [];
		let bytes = 0;
		let cut = false;
		for (const tuple of this.#db.stmt(sql).raw(true).iterate(...params) as IterableIterator<LogTuple>) {
			bytes += storedSize(tuple[8], tuple[10]);
			if (query.maxBytes !== undefined && bytes > query.maxBytes && records.length > 0) {
				cut = true;
				break;
			}

			records.push(toRecord(logRowFrom(tuple)));
		}

		return {records: tail ? records.reverse() : records, top: this.#top(), ...(cut ? {cut} : {})};
	}

	async idBeforeLast(scope: Scope, count: number, level?: Level): Promise<number> {
		const where = scopeWhere(scope);
		const levelSql = level === undefined ? '' : ' AND level >= ?';
		const params = level === undefined ? where.params : [...where.params, levelRank(level)];
		const row = this.#db.stmt(`SELECT id FROM logs WHERE ${where.sql}${levelSql} ORDER BY id DESC LIMIT 1 OFFSET ?`).get(
			...params,
			count - 1,
		) as {id: number} | undefined;
		return row ? row.id - 1 : 0;
	}

	async runAt(scope: Scope, id: number): Promise<string | undefined> {
		const where = scopeWhere(scope);
		const row = this.#db.stmt(`SELECT run_id FROM logs WHERE ${where.sql} AND id <= ? ORDER BY id DESC LIMIT 1`).get(...where.params, id) as
			| {run_id: string}
			| undefined;
		return row?.run_id;
	}

	async catalog(): Promise<Catalog> {
		return sqliteCatalog(this.#db);
	}

	async runsOf(kind: EntityKind, entityId: string, query: RunsQuery): Promise<CountedRun[]> {
		const before = query.before === undefined ? Number.MAX_SAFE_INTEGER : runOrdinal(query.before);
		const rows = this.#db.stmt('SELECT * FROM runs WHERE kind = ? AND entity_id = ? AND seq_no < ? ORDER BY seq_no DESC LIMIT ?').all(
			kind,
			entityId,
			before,
			query.limit,
		) as Array<RunRow & LineCounts>;
		return rows.map((row) => countedRunOf(row));
	}

	async countedRun(runId: string): Promise<CountedRun | undefined> {
		const row = this.#runRow(runId) as (RunRow & LineCounts) | undefined;
		return row ? countedRunOf(row) : undefined;
	}

	async runChildren(runId: string): Promise<ChildCounts[]> {
		const rows = this.#db.stmt(`
			SELECT c.*, logs.message AS first_error_message FROM run_children c LEFT JOIN logs ON logs.id = c.first_error_id
			WHERE c.run_id = ? AND c.child_id <> '' ORDER BY c.first_id`).all(runId) as RunChildRow[];
		return rows.map((row) => childCountsOf(row));
	}

	async taskReports(runId: string): Promise<StoredTaskReport[]> {
		return taskReports(this.#db, runId);
	}

	async top(): Promise<number> {
		return this.#top();
	}

	async purgedAfter(scope: Scope, after: number): Promise<{count?: number} | undefined> {
		return purgedAfter(this.#db, scope, after);
	}

	async prune(retain: number): Promise<number> {
		return prune(this.#db, retain);
	}

	async expireIdempotencyKeys(ageMs: number): Promise<number> {
		return this.#db.write(() => this.#db.stmt('DELETE FROM idempotency WHERE created_at < ?').run(new Date(Date.now() - ageMs).toISOString()).changes);
	}

	async health(): Promise<StoreHealth> {
		return {store: 'sqlite', reachable: true};
	}

	async close(): Promise<void> {
		this.#db.close();
	}

	/** Inside a write: the answer of an earlier request with this key, if there was one. */
	#replay<T>(idempotency: IdempotencyKey | undefined): T | undefined {
		if (!idempotency) {return undefined;}
		const stored = this.#db.stmt('SELECT fingerprint, answer FROM idempotency WHERE scope = ? AND key = ?').get(idempotency.scope, idempotency.key) as
			| {fingerprint: string; answer: string}
			| undefined;
		return stored ? replayAnswer<T>(idempotency, stored) : undefined;
	}

	#remember(idempotency: IdempotencyKey | undefined, answer: unknown): void {
		if (!idempotency) {return;}
		this.#db
			.stmt('INSERT INTO idempotency (scope, key, fingerprint, answer, created_at) VALUES (?, ?, ?, ?, ?)')
			.run(idempotency.scope, idempotency.key, idempotency.fingerprint, JSON.stringify(answer), new Date().toISOString());
	}

	#top(): number {
		const row = this.#db.stmt("SELECT seq FROM sqlite_sequence WHERE name = 'logs'").get() as {seq: number} | undefined;
		return row?.seq ?? 0;
	}

	#runRow(runId: string): RunRow | undefined {
		return this.#db.stmt('SELECT * FROM runs WHERE run_id = ?').get(runId) as RunRow | undefined;
	}
}
