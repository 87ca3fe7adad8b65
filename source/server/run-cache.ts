import type {Run} from '../protocol/record.js';
import type {LogStore} from './store/log-store.js';
import type {FeedEvent} from './store/types.js';

const CAPACITY = 10_000;

/**
 * The runs this instance knows, so that the live path (a record of a new run, a run event on a stream)
 * never waits for the store. The feed keeps it current: it sees every run start and end before any SSE
 * session does (startServer subscribes it first). A miss is loaded once from the store, and a load never
 * overwrites what the feed said meanwhile. Bounded: the oldest-used runs are dropped past CAPACITY.
 */
export class RunCache {
	readonly #runs = new Map<string, Run>();
	readonly #store: LogStore;

	constructor(store: LogStore) {
		this.#store = store;
	}

	observe(event: FeedEvent): void {
		if (event.type !== 'logs') {this.#set(event.run);}
	}

	/** The run if this instance knows it; never a store read. */
	get(runId: string): Run | undefined {
		const run = this.#runs.get(runId);
		if (run) {
			this.#runs.delete(runId);
			this.#runs.set(runId, run);
		}

		return run;
	}

	/** The run, from the store when it is not known yet (undefined: no such run). */
	async load(runId: string): Promise<Run | undefined> {
		const known = this.get(runId);
		if (known) {return known;}
		const run = await this.#store.getRun(runId);
		// The feed may have told of this run while the store answered: its word is newer.
		if (run && !this.#runs.has(runId)) {this.#set(run);}
		return this.#runs.get(runId) ?? run;
	}

	#set(run: Run): void {
		this.#runs.delete(run.runId);
		this.#runs.set(run.runId, run);
		if (this.#runs.size > CAPACITY) {this.#runs.delete(this.#runs.keys().next().value!);}
	}
}
