import type {Level} from '../../protocol/levels.js';
import type {IngestResult, TaskState} from '../../protocol/api.js';
import type {Run, StoredLogRecord} from '../../protocol/record.js';
import type {Durability} from './sqlite/schema.js';

/** What owns runs: tasks belong to automations, artifacts to pipelines. */
export type EntityKind = 'automation' | 'pipeline';

/** A validated line, ready to store (see ingest/parse-batch.ts). */
export type NewLine = {
	level: Level;
	message: string;
	timestamp: string;
	childId?: string;
	stream?: string;
	metadata?: Record<string, unknown>;
};

/**
 * Which records of a scope a history read returns: those with `after < id < before` (each bound optional),
 * at or above `level`, at or after `fromTime`; of them the first `limit` (`order: 'asc'`, the default) or
 * the last `limit` (`'desc'`: the page just before `before`, or the newest). Pages are ascending either way.
 * With `maxBytes` the page also stops, from the end it is read from, before the records it holds pass that
 * many bytes (storedSize in rows.ts), but it always holds one record: a page is sized in bytes as well as in
 * records, so 500 lines of 1 MB are never read whole into memory.
 */
export type HistoryQuery = {
	after?: number;
	before?: number;
	level?: Level;
	fromTime?: string;
	limit: number;
	order?: 'asc' | 'desc';
	maxBytes?: number;
};

/**
 * A page of history and the store's top position (the highest id ever assigned) as of the same read.
 * `cut` when `maxBytes` stopped the page with records of the range (within `limit`) left beyond it.
 */
export type HistoryPage = {records: StoredLogRecord[]; top: number; cut?: boolean};

/** A committed change, as the feed delivers it to its subscribers: records in id order, runs as they start and end. */
export type FeedEvent =
	| {type: 'logs'; records: StoredLogRecord[]}
	| {type: 'run-started'; run: Run}
	| {type: 'completed'; run: Run; durationMs: number};

/**
 * A producer's `Idempotency-Key` for one write: `scope` says what was written (`runs`, `logs:r-7`,
 * `finish:r-7`), `fingerprint` what the request held, so the same key with another body is refused.
 */
export type IdempotencyKey = {scope: string; key: string; fingerprint: string};

/** A write's answer; `replayed` when an earlier request with the same key stored it, and nothing new was. */
export type Written<T> = {value: T; replayed: boolean};

export type AppendResult = Written<IngestResult> & {
	/** What this request stored (none when replayed). */
	records: StoredLogRecord[];
};

export type StoreKind = 'sqlite' | 'postgres';

/** What a run, or one task of it, logged: kept at ingest in the write's transaction (never counted at read). */
export type LineCounts = {lines: number; warnings: number; errors: number};

/** A run and its counters, as `runsOf` reads them. */
export type CountedRun = {run: Run; counts: LineCounts};

/** `runsOf`: runs started before run `before` (by its ordinal, log-store.ts rule 4), the newest `limit` of them. */
export type RunsQuery = {before?: string; limit: number};

/** One task or artifact of a run with its counters; `firstErrorMessage` absent when retention deleted that line. */
export type ChildCounts = LineCounts & {
	childId: string;
	firstId: number;
	lastId: number;
	firstAt: string;
	lastAt: string;
	firstErrorId: number | null;
	firstErrorMessage?: string;
};

/**
 * A task's (artifact's) state as its producer reported it in a run (both stores' run_task_reports). A
 * report of the state the task already has changes nothing; `startedAt` is kept from its first `running`.
 */
export type StoredTaskReport = {
	childId: string;
	state: TaskState;
	startedAt?: string;
	finishedAt?: string;
	/**
	 * Where it is listed among the run's tasks: reported after log id `afterId` (the store's top then), as the
	 * run's `reportNo`-th task reported; so a task reported before it logged keeps its place once it logs.
	 */
	afterId: number;
	reportNo: number;
};

/** How openStore (open-store.ts) opens either store; here so a store imports it without importing its opener. */
export type StoreOptions = {
	/** SQLite only: `full` also fsyncs each commit. */
	durability?: Durability;
	/** PostgreSQL only: connections this instance keeps for requests (default 10), besides its one listener. */
	poolSize?: number;
	/** PostgreSQL only: the fallback poll of the committed feed (default 250 ms). */
	pollMs?: number;
	/** Where the store says that it lost, or got back, its database. */
	log: (line: string) => void;
};

/** `/healthz` of a store: whether it can be reached right now. */
export type StoreHealth = {store: StoreKind; reachable: boolean; error?: string};

/** How the store's committed feed is doing, for /metrics (all zero on a store with no reader). */
export type FeedStats = {
	/** Records committed (as far as this instance knows) and not yet delivered to its subscribers. */
	lagRecords: number;
	/** How long the oldest such commit has been known and undelivered; 0 when caught up. */
	lagSeconds: number;
	notifications: number;
	/** Reads that found new commits no notification had announced: wake-ups the fallback poll made up for. */
	pollCatchUps: number;
	/** Whether the LISTEN connection is up (always false where there is none). */
	listening: boolean;
	/** Whether the reader's last read of the store succeeded. */
	reachable: boolean;
};
