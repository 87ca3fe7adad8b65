import type {Run, StoredLogRecord} from '../protocol/record.js';

/** What the broker carries from ingest to SSE sessions, after the store committed it. */
export type BrokerEvent =
	| {type: 'logs'; records: StoredLogRecord[]}
	| {type: 'run-started'; run: Run}
	| {type: 'completed'; run: Run; durationMs: number};

export type Subscriber = (event: BrokerEvent) => void;

/**
 * In-process fan-out. Publishing is synchronous and only after commit, so a subscriber never sees a
 * record that is not in the store yet. Subscribers must not block: SSE sessions only queue.
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
