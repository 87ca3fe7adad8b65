import type {Run} from '../../protocol/record.js';
import type {RunCache} from '../run-cache.js';
import type {LogStore} from '../store/log-store.js';

/**
 * The runs one SSE session's follower may settle, as it sees them: what the feed said (the run cache), the
 * runs read before the first byte (for when the cache has dropped them), and what the store said during the
 * replay. The replay reads the store, which is ahead of a lagging feed (PostgreSQL): a replay that moves on to
 * a newer run must know that the old one finished, or its `completed` would come after the move and be dropped
 * (stream.test's "resumes across a run boundary" failed so, 2 full runs in 4 under load).
 */
export class SessionRuns {
	readonly #known = new Map<string, Run>();
	readonly #stored = new Map<string, Run>();
	readonly #cache: RunCache;
	readonly #store: LogStore;

	constructor(cache: RunCache, store: LogStore) {
		this.#cache = cache;
		this.#store = store;
	}

	/** Loads a run before the first byte (through the cache), and keeps it. */
	async load(runId: string): Promise<void> {
		const run = await this.#cache.load(runId);
		if (run) {
			this.#known.set(run.runId, run);
		}
	}

	/** A run as the follower sees it: the feed's word, unless the store said since that it finished. Never a store read. */
	get(runId: string): Run | undefined {
		const fed = this.#cache.get(runId) ?? this.#known.get(runId);
		const stored = this.#stored.get(runId);
		return fed?.status === 'running' && stored && stored.status !== 'running' ? stored : (fed ?? stored);
	}

	/** Asks the store about the runs the follower may settle next, of those it still thinks are running. */
	async readFromStore(runIds: Iterable<string | undefined>): Promise<void> {
		for (const runId of new Set(runIds)) {
			if (runId === undefined || this.get(runId)?.status !== 'running') {
				continue;
			}

			const run = await this.#store.getRun(runId);
			if (run) {
				this.#stored.set(run.runId, run);
			}
		}
	}
}
