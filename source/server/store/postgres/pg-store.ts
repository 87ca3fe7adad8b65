import type {Catalog, TaskReport, TaskState} from '../../../protocol/api.js';
import type {Level} from '../../../protocol/levels.js';
import type {Run, RunResult} from '../../../protocol/record.js';
import {StoreUnavailable} from '../errors.js';
import type {LogStore} from '../log-store.js';
import type {Scope} from '../scope.js';
import type {
	AppendResult,
	ChildCounts,
	CountedRun,
	EntityKind,
	RunsQuery,
	HistoryPage,
	HistoryQuery,
	IdempotencyKey,
	NewLine,
	StoreHealth,
	StoreOptions,
	StoredTaskReport,
	Written,
} from '../types.js';
import {pgCatalog} from './pg-catalog.js';
import {openErrorOf} from './pg-errors.js';
import {PgFeed} from './pg-feed.js';
import {PgListener} from './pg-listener.js';
import {PgPool} from './pg-pool.js';
import * as reads from './pg-reads.js';
import * as retention from './pg-retention.js';
import * as runs from './pg-runs.js';
import {migrate} from './pg-migrate.js';
import {describePostgresUrl, postgresUrlProblem} from './pg-url.js';
import * as writes from './pg-writes.js';

const HEALTH_TIMEOUT_MS = 2000;

/**
 * The store on a PostgreSQL database that any number of `dbtail serve` instances share: nothing of the
 * store lives in the instance but a pool, one LISTEN connection and the feed's cursor. Ordering is the
 * database's (pg-schema.ts); this class only calls it and hands this instance's own writes to its feed.
 */
export class PgStore implements LogStore {
	readonly kind = 'postgres' as const;
	readonly epoch: string;
	readonly description: string;
	readonly sharedSigningKey: Buffer;
	readonly feed: PgFeed;
	readonly #db: PgPool;
	readonly #listener: PgListener;

	private constructor(db: PgPool, facts: {epoch: string; signingKey: Buffer}, feed: PgFeed, listener: PgListener) {
		this.#db = db;
		this.epoch = facts.epoch;
		this.sharedSigningKey = facts.signingKey;
		this.description = describePostgresUrl(db.url);
		this.feed = feed;
		this.#listener = listener;
	}

	/** Connects, creates or migrates the schema, and starts the feed; a database it cannot use is a StoreUnavailable. */
	static async open(url: string, options: StoreOptions): Promise<PgStore> {
		const problem = postgresUrlProblem(url);
		if (problem) {throw new StoreUnavailable(`the database ${describePostgresUrl(url)} ${problem}`);}
		const db = new PgPool({url, size: options.poolSize ?? 10, log: options.log});
		let facts: {epoch: string; signingKey: Buffer};
		let start: {log: number; event: number};
		try {
			const client = await db.pool.connect();
			try {
				facts = await migrate(client);
				// The feed starts at the top: what was committed before this instance started is history, not live.
				const {rows: [counters]} = await client.query<{last_log: string; last_event: string}>('SELECT last_log, last_event FROM dbtail.counters');
				start = {log: Number(counters!.last_log), event: Number(counters!.last_event)};
			} finally {
				client.release();
			}
		} catch (error) {
			await db.close().catch(() => {});
			throw openErrorOf(error, url);
		}

		const feed = new PgFeed(db, start, options.pollMs ?? 250, options.log);
		const listener = new PgListener(
			url,
			{
				notified: (payload) => feed.notified(payload),
				connected() {
					feed.listening = true;
					feed.catchUp();
				},
				disconnected() {
					feed.listening = false;
				},
			},
			options.log,
		);
		await listener.start();
		return new PgStore(db, facts, feed, listener);
	}

	async createRun(kind: EntityKind, entityId: string, name: string | undefined, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		const {before, ...written} = await writes.createRun(this.#db, kind, entityId, name, idempotency);
		if (before) {this.feed.committed(before, {log: before.log, event: before.event + 1}, [{type: 'run-started', run: written.value}]);}
		return written;
	}

	async appendLogs(runId: string, lines: NewLine[], idempotency?: IdempotencyKey): Promise<AppendResult> {
		const {before, ...written} = await writes.appendLogs(this.#db, runId, lines, idempotency);
		if (before) {this.feed.committed(before, {log: before.log + lines.length, event: before.event}, [{type: 'logs', records: written.records}]);}
		return written;
	}

	async finishRun(runId: string, result: RunResult, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		const {before, ...written} = await writes.finishRun(this.#db, runId, result, idempotency);
		if (before) {
			const run = written.value;
			const durationMs = Date.parse(run.finishedAt!) - Date.parse(run.startedAt);
			this.feed.committed(before, {log: before.log, event: before.event + 1}, [{type: 'completed', run, durationMs}]);
		}

		return written;
	}

	async reportTask(runId: string, childId: string, state: TaskState, at: string, idempotency?: IdempotencyKey): Promise<Written<TaskReport>> {
		return writes.reportTask(this.#db, runId, childId, state, at, idempotency);
	}

	async getRun(runId: string): Promise<Run | undefined> {
		return reads.getRun(this.#db, runId);
	}

	async currentRun(kind: EntityKind, entityId: string): Promise<Run | undefined> {
		return reads.currentRun(this.#db, kind, entityId);
	}

	async owners(kind: EntityKind, childId: string): Promise<string[]> {
		return reads.owners(this.#db, kind, childId);
	}

	async currentRunOfChild(kind: EntityKind, childId: string): Promise<Run | undefined> {
		return reads.currentRunOfChild(this.#db, kind, childId);
	}

	async runsOf(kind: EntityKind, entityId: string, query: RunsQuery): Promise<CountedRun[]> {
		return runs.runsOf(this.#db, kind, entityId, query);
	}

	async countedRun(runId: string): Promise<CountedRun | undefined> {
		return runs.countedRun(this.#db, runId);
	}

	async runChildren(runId: string): Promise<ChildCounts[]> {
		return runs.runChildren(this.#db, runId);
	}

	async taskReports(runId: string): Promise<StoredTaskReport[]> {
		return runs.taskReports(this.#db, runId);
	}

	async catalog(): Promise<Catalog> {
		return pgCatalog(this.#db);
	}

	async history(scope: Scope, query: HistoryQuery): Promise<HistoryPage> {
		return reads.history(this.#db, scope, query);
	}

	async idBeforeLast(scope: Scope, count: number, level?: Level): Promise<number> {
		return reads.idBeforeLast(this.#db, scope, count, level);
	}

	async runAt(scope: Scope, id: number): Promise<string | undefined> {
		return reads.runAt(this.#db, scope, id);
	}

	async top(): Promise<number> {
		return reads.top(this.#db);
	}

	async purgedAfter(scope: Scope, after: number): Promise<{count?: number} | undefined> {
		return retention.purgedAfter(this.#db, scope, after);
	}

	async prune(retain: number): Promise<number> {
		return retention.prune(this.#db, retain);
	}

	async expireIdempotencyKeys(ageMs: number): Promise<number> {
		return retention.expireIdempotencyKeys(this.#db, ageMs);
	}

	async health(): Promise<StoreHealth> {
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_resolve, reject) => {
			timer = setTimeout(() => reject(new Error(`no answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
		});
		try {
			await Promise.race([this.#db.query({text: 'SELECT 1'}), timeout]);
			return {store: 'postgres', reachable: true};
		} catch (error) {
			return {store: 'postgres', reachable: false, error: (error as Error).message};
		} finally {
			clearTimeout(timer);
		}
	}

	async close(): Promise<void> {
		await this.#listener.close();
		await this.feed.close();
		await this.#db.close();
	}
}
