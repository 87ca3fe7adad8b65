import type {CommittedFeed} from './log-store.js';
import type {FeedEvent, FeedStats} from './types.js';

/**
 * The feed of a store that only this process writes (SQLite): the store publishes each write right after
 * its commit, synchronously, so the feed is in commit order by construction and never lags.
 */
export class LocalFeed implements CommittedFeed {
	readonly stats: FeedStats = {lagRecords: 0, lagSeconds: 0, notifications: 0, pollCatchUps: 0, listening: false, reachable: true};
	readonly #sinks = new Set<(event: FeedEvent) => void>();

	subscribe(sink: (event: FeedEvent) => void): () => void {
		this.#sinks.add(sink);
		return () => this.#sinks.delete(sink);
	}

	/** Called by the store after a commit, never before. */
	publish(event: FeedEvent): void {
		for (const sink of this.#sinks) {sink(event);}
	}
}
