import {RateMeter} from './rate.js';
import type {StreamStats} from './types.js';

/**
 * What a LogStream counts for a status bar: connections made again, records, duplicates dropped, gaps
 * filled, the line rate, and when it last heard a record or any byte (a live pane says `quiet 8s`). A
 * record costs one Date.now(), shared with the rate.
 */
export class StreamCounters {
	reconnects = 0;
	records = 0;
	duplicatesDropped = 0;
	gapsFilled = 0;
	#lastRecordAt: number | undefined;
	#lastByteAt: number | undefined;
	readonly #rate = new RateMeter();
	#opened = false;

	/** A connection was made; a reconnect is one made again, not an attempt: five refused attempts are 0. */
	opened(): void {
		if (this.#opened) {
			this.reconnects++;
		}

		this.#opened = true;
	}

	record(): void {
		const now = Date.now();
		this.records++;
		this.#rate.add(1, now);
		this.#lastRecordAt = now;
	}

	bytes(now: number): void {
		this.#lastByteAt = now;
	}

	snapshot(): StreamStats {
		return {
			reconnects: this.reconnects,
			records: this.records,
			duplicatesDropped: this.duplicatesDropped,
			gapsFilled: this.gapsFilled,
			linesPerSecond: this.#rate.perSecond(),
			lastRecordAt: this.#lastRecordAt,
			lastByteAt: this.#lastByteAt,
		};
	}
}
