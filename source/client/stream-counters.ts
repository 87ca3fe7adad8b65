import type {StreamStats} from './types.js';

/**
 * What a LogStream counts for a status bar: connections made again, records, duplicates dropped, gaps
 * filled, and when it last heard a record or any byte (a live pane says `quiet 8s`). A chunk of records
 * costs one Date.now(). (A pane's line rate is the model's own, over what the pane was given: model/arrival-rate.ts.)
 */
export class StreamCounters {
	reconnects = 0;
	records = 0;
	duplicatesDropped = 0;
	gapsFilled = 0;
	#lastRecordAt: number | undefined;
	#lastByteAt: number | undefined;
	#opened = false;

	/** A connection was made; a reconnect is one made again, not an attempt: five refused attempts are 0. */
	opened(): void {
		if (this.#opened) {
			this.reconnects++;
		}

		this.#opened = true;
	}

	/** `now`: the time of the chunk that carried the record, when there is one. */
	record(now = Date.now()): void {
		this.records++;
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
			lastRecordAt: this.#lastRecordAt,
			lastByteAt: this.#lastByteAt,
		};
	}
}
