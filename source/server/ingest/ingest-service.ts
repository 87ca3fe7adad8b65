import type {IngestResult} from '../../protocol/api.js';
import type {Run, RunResult, StoredLogRecord} from '../../protocol/record.js';
import type {Broker} from '../broker.js';
import type {ServerMetrics} from '../metrics.js';
import type {LogStore} from '../store/sqlite/log-store.js';
import type {EntityKind, NewLine} from '../store/types.js';

/**
 * The one write path: HTTP ingest and the demo simulator both come through here, so demo lines are
 * stored, numbered and published exactly like real ones. Publish happens only after the commit.
 */
export class IngestService {
	#sincePrune = 0;

	readonly #store: LogStore;
	readonly #broker: Broker;
	readonly #metrics: ServerMetrics;
	readonly #retain: number | undefined;

	constructor(
		store: LogStore,
		broker: Broker,
		metrics: ServerMetrics,
		retain?: number,
	) {
		this.#store = store;
		this.#broker = broker;
		this.#metrics = metrics;
		this.#retain = retain;
	}

	startRun(kind: EntityKind, entityId: string, name?: string): Run {
		const run = this.#store.createRun(kind, entityId, name);
		this.#broker.publish({type: 'run-started', run});
		return run;
	}

	append(runId: string, lines: NewLine[]): IngestResult & {records: StoredLogRecord[]} {
		const records = this.#store.appendLogs(runId, lines);
		this.#metrics.linesIngested.inc(records.length);
		this.#metrics.batchesIngested.inc();
		this.#broker.publish({type: 'logs', records});
		this.#maybePrune(records.length);
		return {firstId: records[0]!.id, lastId: records.at(-1)!.id, count: records.length, records};
	}

	finish(runId: string, result: RunResult): Run {
		const run = this.#store.finishRun(runId, result);
		const durationMs = Date.parse(run.finishedAt!) - Date.parse(run.startedAt);
		this.#broker.publish({type: 'completed', run, durationMs});
		return run;
	}

	/** Retention runs every tenth of `retain` new lines, so its cost is spread and bounded. */
	#maybePrune(added: number): void {
		if (this.#retain === undefined) {return;}
		this.#sincePrune += added;
		if (this.#sincePrune >= Math.max(1, Math.floor(this.#retain / 10))) {
			this.#sincePrune = 0;
			this.#metrics.purged.inc(this.#store.prune(this.#retain));
		}
	}
}
