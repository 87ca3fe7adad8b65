import type {FeedEvent} from './store/types.js';

/** What the broker carries from the store's committed feed to SSE sessions. */
export type BrokerEvent = FeedEvent;

export type Subscriber = (event: BrokerEvent) => void;

/**
 * In-process fan-out of the store's committed feed (store/log-store.ts): it publishes only committed
 * changes, in commit order, so a subscriber never sees a record that is not in the store yet. Publishing is
 * synchronous; subscribers must not block: SSE sessions only queue.
 */
export class Broker {
	readonly #subscribers = new Set<Subscriber>();

	subscribe(subscriber: Subscriber): () => void {
		this.#subscribers.add(subscriber);
		return () => this.#subscribers.delete(subscriber);
	}

	publish(event: BrokerEvent): void {
		for (const subscriber of this.#subscribers) {
			subscriber(event);
		}
	}

	get size(): number {
		return this.#subscribers.size;
	}
}
