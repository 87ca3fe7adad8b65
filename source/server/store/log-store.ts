import type {Catalog, TaskReport, TaskState} from '../../protocol/api.js';
import type {Level} from '../../protocol/levels.js';
import type {Run, RunResult} from '../../protocol/record.js';
import type {Scope} from './scope.js';
import type {
	AppendResult,
	ChildCounts,
	CountedRun,
	EntityKind,
	FeedEvent,
	FeedStats,
	HistoryPage,
	HistoryQuery,
	IdempotencyKey,
	NewLine,
	RunsQuery,
	StoreHealth,
	StoreKind,
	StoredTaskReport,
	Written,
} from './types.js';

/*
 * The store contract: what the server needs of a database, whichever one it is (sqlite/ for one process on
 * a file, postgres/ for any number of instances on one database). The HTTP layer, SSE sessions and ingest
 * see only this; they never know an SQL dialect or an error code.
 *
 * Ordering, which every implementation must keep, and which the resume rule (`Last-Event-ID`: every record
 * with a greater id, nothing twice) rests on:
 *
 *  1. Ids are assigned in commit order. A record with a smaller id never becomes visible after one with a
 *     greater id: a reader that has seen id N has seen, or will never see, every id below N. (SQLite: one
 *     writer, ids drawn inside its transaction. PostgreSQL: a transaction-scoped advisory lock taken before
 *     the id is drawn and held until commit; see postgres/pg-schema.ts.)
 *  2. Ids have no gaps and are never reused: retention deletes a prefix of them, so what it deleted after a
 *     point is counted exactly, and an id above `top()` comes from another store (another epoch).
 *  3. Within a run, `seq` starts at 1 and has no gaps, whatever writer stored the batch.
 *  4. Run ids are `r-<n>`, unique across writers, with n increasing in the order runs started.
 *  5. The feed (CommittedFeed) delivers only what was committed, in commit order: records by id, and each
 *     run event after every record committed before it and before every record committed after it. A
 *     subscriber that joins late reads the history first, then drops what it already sent (sse/).
 *  6. A write with an Idempotency-Key that was already stored changes nothing and answers as the first did.
 *
 * Reads answer as of one moment of the store; writes are each one transaction, all or nothing.
 */

/** The n of a run id `r-<n>` (rule 4 above): which of two runs started later. 0 for an id of no store's. */
export function runOrdinal(runId: string): number {
	const match = /^r-(\d+)$/.exec(runId);
	return match ? Number(match[1]) : 0;
}

/**
 * The committed-event feed: one per server process, in commit order, after the commit and never before. It is
 * the server's one fan-out: SSE sessions subscribe to it directly.
 */
export interface CommittedFeed {
	/**
	 * Delivers every event committed from now on, in order, to each sink synchronously and in the order they
	 * subscribed (the run cache, subscribed first, hears of a run before any session does); returns the
	 * unsubscribe. A sink must not block: SSE sessions only queue.
	 */
	subscribe(sink: (event: FeedEvent) => void): () => void;
	readonly stats: FeedStats;
}

export interface LogStore {
	readonly kind: StoreKind;
	/** Made once with the store (one per database): a client that sees it change drops its resume point. */
	readonly epoch: string;
	/** Where the store is, fit to print: a file, or a URL without its password. */
	readonly description: string;
	readonly feed: CommittedFeed;
	/**
	 * The key that signs short-lived stream tokens when every instance must accept them (PostgreSQL: kept in
	 * the database); undefined where one process is the whole server and a key of its own will do.
	 */
	readonly sharedSigningKey: Buffer | undefined;

	/** A new run, `r-<n>`; replayed, the run the first request made. */
	createRun(kind: EntityKind, entityId: string, name: string | undefined, idempotency?: IdempotencyKey): Promise<Written<Run>>;
	/** Stores a batch atomically: every line or none. Throws RunNotFound, RunFinished, IdempotencyKeyReused. */
	appendLogs(runId: string, lines: NewLine[], idempotency?: IdempotencyKey): Promise<AppendResult>;
	finishRun(runId: string, result: RunResult, idempotency?: IdempotencyKey): Promise<Written<Run>>;
	/**
	 * Stores what a producer reports of a task (artifact) of a running run, at `at`: `running` sets `startedAt`
	 * (kept from the first time) and clears `finishedAt`; any other state sets `finishedAt`; the state the task
	 * already has changes nothing. The task exists from then on, as one that logged does (`owners`, the
	 * catalog). Under the same lock as the other writes, so it never lands on a run that a finish committed
	 * before it. Throws RunNotFound, RunFinished, IdempotencyKeyReused. Publishes nothing.
	 */
	reportTask(runId: string, childId: string, state: TaskState, at: string, idempotency?: IdempotencyKey): Promise<Written<TaskReport>>;

	getRun(runId: string): Promise<Run | undefined>;
	/** The newest run of an automation or pipeline. */
	currentRun(kind: EntityKind, entityId: string): Promise<Run | undefined>;
	/** The automations (pipelines) a task (artifact) id belongs to. */
	owners(kind: EntityKind, childId: string): Promise<string[]>;
	/** The newest run among the entities that own a task or artifact. */
	currentRunOfChild(kind: EntityKind, childId: string): Promise<Run | undefined>;
	catalog(): Promise<Catalog>;
	/** An entity's runs, newest first, with their counters: an index range of runs, never a count of logs. */
	runsOf(kind: EntityKind, entityId: string, query: RunsQuery): Promise<CountedRun[]>;
	/** A run with its counters. */
	countedRun(runId: string): Promise<CountedRun | undefined>;
	/** A run's tasks or artifacts with their counters, in the order they first logged (lines of none left out). */
	runChildren(runId: string): Promise<ChildCounts[]>;
	/** What producers reported of a run's tasks (artifacts), in the order they were first reported. */
	taskReports(runId: string): Promise<StoredTaskReport[]>;

	/** Records of a scope in id order: the first `limit` of the range, or with `order: 'desc'` the last `limit`. */
	history(scope: Scope, query: HistoryQuery): Promise<HistoryPage>;
	/** The id just before the last `count` records of a scope (0 when it has fewer): where a tail starts. */
	idBeforeLast(scope: Scope, count: number, level?: Level): Promise<number>;
	/** The run of the last record of a scope at or before `id`: the run a client resuming from `id` was on. */
	runAt(scope: Scope, id: number): Promise<string | undefined>;
	/** The highest id ever assigned (retention may have deleted it since); 0 for a new store. */
	top(): Promise<number>;

	/**
	 * What retention deleted from a scope after id `after`: undefined when none of its records were;
	 * else `count`, when it can be known exactly.
	 */
	purgedAfter(scope: Scope, after: number): Promise<{count?: number} | undefined>;
	/** Keeps the newest `retain` records; returns how many were deleted (0 when another instance is at it). */
	prune(retain: number): Promise<number>;
	/** Forgets Idempotency-Keys stored more than `ageMs` ago; returns how many. */
	expireIdempotencyKeys(ageMs: number): Promise<number>;

	health(): Promise<StoreHealth>;
	close(): Promise<void>;
}
