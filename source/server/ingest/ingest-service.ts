import type {IngestResult, TaskReport, TaskState} from '../../protocol/api.js';
import type {Run, RunResult} from '../../protocol/record.js';
import type {ServerMetrics} from '../metrics.js';
import type {LogStore} from '../store/log-store.js';
import type {EntityKind, IdempotencyKey, NewLine, Written} from '../store/types.js';

/**
 * The one write path: HTTP ingest and the demo simulator both come through here, so demo lines are
 * stored, numbered and published exactly like real ones. Nothing is published from here: the store's
 * committed feed does that, after the commit and in commit order, for this instance's writes and every
 * other instance's alike.
 */
export class IngestService {
	#sincePrune = 0;

	readonly #store: LogStore;
	readonly #metrics: ServerMetrics;
	readonly #retain: number | undefined;

	constructor(store: LogStore, metrics: ServerMetrics, retain?: number) {
		this.#store = store;
		this.#metrics = metrics;
		this.#retain = retain;
	}

	async startRun(kind: EntityKind, entityId: string, name?: string, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		return this.#store.createRun(kind, entityId, name, idempotency);
	}

	async append(runId: string, lines: NewLine[], idempotency?: IdempotencyKey): Promise<Written<IngestResult>> {
		const written = await this.#store.appendLogs(runId, lines, idempotency);
		if (!written.replayed) {
			this.#metrics.linesIngested.inc(written.records.length);
			this.#metrics.batchesIngested.inc();
			await this.#maybePrune(written.records.length);
		}

		return {value: written.value, replayed: written.replayed};
	}

	async finish(runId: string, result: RunResult, idempotency?: IdempotencyKey): Promise<Written<Run>> {
		return this.#store.finishRun(runId, result, idempotency);
	}

	/**
	 * A producer's word on one task (artifact) of a running run: `running` as it starts, its result as it ends
	 * (log-store.ts, reportTask). `at` defaults to now. The caller checked that the id names a task of an
	 * automation's run or an artifact of a pipeline's.
	 */
	async reportTask(runId: string, childId: string, state: TaskState, at?: string, idempotency?: IdempotencyKey): Promise<Written<TaskReport>> {
		return this.#store.reportTask(runId, childId, state, at ?? new Date().toISOString(), idempotency);
	}

	/** The newest run of an automation or pipeline (a producer that restarts looks for what it left open). */
	async currentRun(kind: EntityKind, entityId: string): Promise<Run | undefined> {
		return this.#store.currentRun(kind, entityId);
	}

	/**
	 * Retention runs every tenth of `retain` lines this instance stored, so its cost is spread and bounded.
	 * On a shared database one instance prunes at a time; one that finds another at it skips its turn.
	 */
	async #maybePrune(added: number): Promise<void> {
		if (this.#retain === undefined) {return;}
		this.#sincePrune += added;
		if (this.#sincePrune >= Math.max(1, Math.floor(this.#retain / 10))) {
			this.#sincePrune = 0;
			this.#metrics.purged.inc(await this.#store.prune(this.#retain));
		}
	}
}
