import {randomBytes} from 'node:crypto';
import Database from 'better-sqlite3';
import {levelRank} from '../../../protocol/levels.js';
import {StoreInUse, StoreUnavailable} from '../errors.js';

const WARN_RANK = levelRank('WARN');
const ERROR_RANK = levelRank('ERROR');

/*
 * The SQLite file. WAL lets SSE sessions read history while ingest writes. `synchronous = NORMAL` in WAL
 * mode keeps every committed transaction across a process crash (kill -9): the WAL is written before
 * commit returns, only an OS crash or power loss can drop the last ones. `full` also fsyncs each commit.
 */

export const DURABILITIES = ['normal', 'full'] as const;
export type Durability = (typeof DURABILITIES)[number];

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
	seq_no INTEGER PRIMARY KEY,
	run_id TEXT NOT NULL UNIQUE,
	kind TEXT NOT NULL CHECK (kind IN ('automation', 'pipeline')),
	entity_id TEXT NOT NULL,
	name TEXT,
	status TEXT NOT NULL,
	started_at TEXT NOT NULL,
	finished_at TEXT,
	last_seq INTEGER NOT NULL DEFAULT 0,
	-- What the run logged, kept by each append in its transaction: the run list never counts logs.
	lines INTEGER NOT NULL DEFAULT 0,
	warnings INTEGER NOT NULL DEFAULT 0,
	errors INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_by_entity ON runs (kind, entity_id, seq_no);
CREATE TABLE IF NOT EXISTS children (
	kind TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	child_id TEXT NOT NULL,
	-- The id of its first record: the catalog lists tasks in the order they first ran.
	first_id INTEGER NOT NULL,
	PRIMARY KEY (kind, entity_id, child_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS children_by_child ON children (kind, child_id);
-- Each task's (artifact's) share of a run, child_id '' for lines of none, kept by each append as runs' counters are.
CREATE TABLE IF NOT EXISTS run_children (
	run_id TEXT NOT NULL,
	child_id TEXT NOT NULL,
	first_id INTEGER NOT NULL,
	last_id INTEGER NOT NULL,
	first_ts TEXT NOT NULL,
	last_ts TEXT NOT NULL,
	lines INTEGER NOT NULL,
	warnings INTEGER NOT NULL,
	errors INTEGER NOT NULL,
	first_error_id INTEGER,
	PRIMARY KEY (run_id, child_id)
) WITHOUT ROWID;
-- What producers reported of a run's tasks (PUT /api/runs/{run}/tasks/{task}), beside what they logged. A file
-- from before reports gets the table as it opens. after_id (the top log id when first reported) and report_no
-- list a task reported before it logged where it was reported.
CREATE TABLE IF NOT EXISTS run_task_reports (
	run_id TEXT NOT NULL,
	child_id TEXT NOT NULL,
	state TEXT NOT NULL,
	started_at TEXT,
	finished_at TEXT,
	after_id INTEGER NOT NULL,
	report_no INTEGER NOT NULL,
	PRIMARY KEY (run_id, child_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS logs (
	-- AUTOINCREMENT: an id is never reused, even after retention deletes the newest rows.
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	run_id TEXT NOT NULL,
	seq INTEGER NOT NULL,
	kind TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	child_id TEXT,
	ts TEXT NOT NULL,
	level INTEGER NOT NULL,
	message TEXT NOT NULL,
	stream TEXT,
	metadata TEXT
);
CREATE INDEX IF NOT EXISTS logs_by_run ON logs (run_id, id);
CREATE INDEX IF NOT EXISTS logs_by_entity ON logs (kind, entity_id, id);
CREATE INDEX IF NOT EXISTS logs_by_child ON logs (kind, child_id, id) WHERE child_id IS NOT NULL;
-- What retention deleted, per scope group (child_id '' for none: NULLs would never conflict), so a stream is
-- told of purged lines only when they were its own. Same column names as logs: scopeWhere runs over both.
CREATE TABLE IF NOT EXISTS purged_scopes (
	kind TEXT NOT NULL,
	entity_id TEXT NOT NULL,
	child_id TEXT NOT NULL,
	run_id TEXT NOT NULL,
	first_id INTEGER NOT NULL,
	last_id INTEGER NOT NULL,
	count INTEGER NOT NULL,
	UNIQUE (kind, child_id, entity_id, run_id)
);
-- An entity's, a task's or a run's tally is looked up on every stream start: not by a scan as runs pile up.
CREATE INDEX IF NOT EXISTS purged_by_entity ON purged_scopes (kind, entity_id);
CREATE INDEX IF NOT EXISTS purged_by_run ON purged_scopes (run_id);
-- Idempotency-Keys of writes (idempotency.ts): scope says what was written (runs, logs:<run>, finish:<run>).
CREATE TABLE IF NOT EXISTS idempotency (
	scope TEXT NOT NULL,
	key TEXT NOT NULL,
	fingerprint TEXT NOT NULL,
	answer TEXT NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (scope, key)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS idempotency_by_age ON idempotency (created_at);
`;


export function openDatabase(file: string, durability: Durability = 'normal'): Database.Database {
	let db: Database.Database;
	try {
		// A short wait covers a predecessor still closing; better-sqlite3's default would stall 5 s.
		db = new Database(file, {timeout: 1000});
	} catch (error) {
		throw new StoreUnavailable(`cannot open the store ${file}: ${(error as Error).message}`);
	}

	try {
		// One server per file, held from the first write until close (or death: the OS frees the lock).
		db.pragma('locking_mode = EXCLUSIVE');
		db.pragma('journal_mode = WAL');
		db.exec('BEGIN IMMEDIATE; COMMIT');
	} catch (error) {
		db.close();
		const code = (error as {code?: string}).code;
		if (code === 'SQLITE_BUSY') {
			throw new StoreInUse(`the store ${file} is in use by another process (another dbtail serve?)`);
		}

		if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB') {
			throw new StoreUnavailable(`cannot open the store ${file}: ${(error as Error).message}`);
		}

		throw error;
	}

	db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
	const tracksPurges = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'purged_scopes'").get() !== undefined;
	const countsLines = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'run_children'").get() !== undefined;
	const hasRuns = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'runs'").get() !== undefined;
	if (hasRuns && !countsLines) {addRunCounters(db);}
	db.exec(SCHEMA);
	if (!tracksPurges) {markUntrackedPurges(db);}
	if (hasRuns && !countsLines) {fillRunCounters(db);}
	// Files from before first_id existed (the first days of dbtail) get the column, listed alphabetically.
	const columns = db.pragma('table_info(children)') as Array<{name: string}>;
	if (!columns.some((column) => column.name === 'first_id')) {
		db.exec('ALTER TABLE children ADD COLUMN first_id INTEGER NOT NULL DEFAULT 0');
	}

	// The epoch is made once, with the store: a client that sees it change knows the id space was reset.
	db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', ?)").run(randomBytes(6).toString('hex'));
	return db;
}

/** Files from before the run counters get their columns (the schema's CREATE TABLE leaves an existing table be). */
function addRunCounters(db: Database.Database): void {
	// Each one that is missing: a process that died between these and the fill left some of them.
	const present = new Set((db.pragma('table_info(runs)') as Array<{name: string}>).map((column) => column.name));
	for (const column of ['lines', 'warnings', 'errors'].filter((name) => !present.has(name))) {
		db.exec(`ALTER TABLE runs ADD COLUMN ${column} INTEGER NOT NULL DEFAULT 0`);
	}
}

/**
 * Counts, once, what files from before the counters hold (what retention left of it): from then on each
 * append keeps them. One transaction, so a file is never left half counted.
 */
function fillRunCounters(db: Database.Database): void {
	db.transaction(() => {
		db.exec(`
			INSERT INTO run_children (run_id, child_id, first_id, last_id, first_ts, last_ts, lines, warnings, errors, first_error_id)
				SELECT run_id, COALESCE(child_id, ''), MIN(id), MAX(id), MIN(ts), MAX(ts), COUNT(*),
					SUM(level = ${WARN_RANK}), SUM(level >= ${ERROR_RANK}), MIN(CASE WHEN level >= ${ERROR_RANK} THEN id END)
				FROM logs GROUP BY run_id, COALESCE(child_id, '');
			UPDATE runs SET
				lines = COALESCE((SELECT SUM(lines) FROM run_children c WHERE c.run_id = runs.run_id), 0),
				warnings = COALESCE((SELECT SUM(warnings) FROM run_children c WHERE c.run_id = runs.run_id), 0),
				errors = COALESCE((SELECT SUM(errors) FROM run_children c WHERE c.run_id = runs.run_id), 0);
		`);
	})();
}

/**
 * A file pruned before purged_scopes existed lost lines of unknown scopes, up to purged_through and only
 * from runs that existed then: remember both, so those streams keep being told lines may be missing.
 */
function markUntrackedPurges(db: Database.Database): void {
	const row = db.prepare("SELECT value FROM meta WHERE key = 'purged_through'").get() as {value: string} | undefined;
	if (!row || Number(row.value) === 0) {return;}
	const lastRun = (db.prepare('SELECT COALESCE(MAX(seq_no), 0) AS n FROM runs').get() as {n: number}).n;
	const mark = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
	mark.run('untracked_purged_through', row.value);
	mark.run('untracked_purged_last_run', String(lastRun));
}
