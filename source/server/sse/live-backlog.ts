import {RECORD_OVERHEAD_BYTES} from '../store/rows.js';
import type {FeedEvent} from '../store/types.js';

const NO_LOAD = Object.freeze({events: 0, bytes: 0});

/**
 * The live events a session holds while its replay runs, sent after it; open until taken or dropped. Its
 * size counts toward the client's queue limits, so a replay that falls behind the live feed is cut too.
 */
export class LiveBacklog {
	#events: FeedEvent[] | undefined = [];
	#records = 0;
	/** The backlog's size as its frames will be, near enough: text and a fixed overhead per record. */
	#bytes = 0;

	get open(): boolean {
		return this.#events !== undefined;
	}

	/** Records and bytes waiting here, for the queue's limits. */
	load(): {events: number; bytes: number} {
		return this.#events === undefined ? NO_LOAD : {events: this.#records, bytes: this.#bytes};
	}

	add(event: FeedEvent): void {
		this.#events!.push(event);
		if (event.type === 'logs') {
			this.#records += event.records.length;
			for (const record of event.records) {
				this.#bytes += record.message.length + RECORD_OVERHEAD_BYTES;
			}
		}
	}

	/** What waited, in order; the backlog is closed after. */
	take(): FeedEvent[] {
		const events = this.#events ?? [];
		this.drop();
		return events;
	}

	drop(): void {
		this.#events = undefined;
		this.#records = 0;
		this.#bytes = 0;
	}
}
