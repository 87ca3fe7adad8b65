import type {StatusEvent} from '../../protocol/events.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import type {FeedEvent} from '../store/types.js';
import type {FrameQueue} from './frame-queue.js';
import {selectionFrame, sharedBatchFrame, sharedLogFrame, type Frame} from './log-frames.js';
import type {RunFollower, Step} from './run-follower.js';

/** Whether a session still sends: its owner closes and ends it, its sender reads it. */
export type SendState = {closed: boolean; ending: boolean};

/**
 * What of a session's records and run events go into its queue, in order, each record once: the run it
 * follows says which records go and which statuses go between them, and ids at or below lastSent are dropped.
 */
export class RecordSender {
	/** The newest id handled (sent, or skipped by the run it follows): the replay's next page and the live path go on after it. */
	lastSent = 0;

	readonly #queue: FrameQueue;
	readonly #runs: RunFollower;
	/** The stream's shape for shared frames: clients of one stream and level floor select the same records. */
	readonly #shape: string;
	readonly #state: SendState;
	readonly #sendStatus: (event: StatusEvent) => void;
	/** Ends the session once its queue is flushed (the run it followed ended, follow=false). */
	readonly #end: () => void;

	constructor(queue: FrameQueue, runs: RunFollower, shape: string, state: SendState, sendStatus: (event: StatusEvent) => void, end: () => void) {
		this.#queue = queue;
		this.#runs = runs;
		this.#shape = shape;
		this.#state = state;
		this.#sendStatus = sendStatus;
		this.#end = end;
	}

	/**
	 * Sends what selectFeed kept, past the replay: records the replay already sent are dropped by id. Live, with the
	 * feed batch the records came from (`batch`), records in a row that go out as they are share one frame
	 * with every client of the same stream: one string made once, one push and one write per client.
	 */
	deliver(event: FeedEvent, batch?: readonly StoredLogRecord[]): void {
		if (this.#state.closed || this.#state.ending) {
			return;
		}

		if (event.type === 'logs') {
			if (batch === undefined) {
				for (const record of event.records) {
					if (Number(record.id) > this.lastSent) {
						this.sendRecord(record, sharedLogFrame);
					}
				}
			} else {
				this.sendLive(event.records, batch);
			}
		} else if (event.type === 'run-started') {
			this.apply(this.#runs.runStarted(event.run));
		} else {
			this.apply(this.#runs.runCompleted(event.run, event.durationMs));
		}
	}

	sendRecord(record: StoredLogRecord, frame: (record: StoredLogRecord) => Frame): void {
		// Both paths filtered by level already: the replay in the store's query, live records in selectFeed.
		if (this.#state.closed || this.#state.ending) {
			return;
		}

		// A record of a newer run says that run started, even if its run-started is still in the backlog.
		const step = this.#runs.beforeRecord(record.runId);
		this.apply(step);
		if (!step.send || this.#state.ending) {
			return;
		}

		this.lastSent = Number(record.id);
		this.#queue.pushFrame(frame(record));
	}

	/** As sendRecord for each record, in order, but a run of records with no status between them is one frame. */
	sendLive(records: readonly StoredLogRecord[], batch: readonly StoredLogRecord[]): void {
		if (Number(records[0]!.id) > this.lastSent && this.#runs.sendsAll(records)) {
			// The usual case: all of them, nothing between them; the frame every client of the shape writes.
			this.lastSent = Number(records.at(-1)!.id);
			this.#queue.pushFrame(selectionFrame(batch, this.#shape, records), records.length);
			return;
		}

		let run: StoredLogRecord[] = [];
		const flush = () => {
			if (run.length === 0) {
				return;
			}

			this.#queue.pushFrame(sharedBatchFrame(batch, this.#shape, run), run.length);
			run = [];
		};

		for (const record of records) {
			if (this.#state.closed || this.#state.ending) {
				break;
			}

			if (Number(record.id) <= this.lastSent) {
				continue;
			}

			const step = this.#runs.beforeRecord(record.runId);
			if (step.events.length > 0 || step.end || !step.send) {
				// A status goes between records, or the record is not sent: what came before goes out first.
				flush();
				this.apply(step);
				if (!step.send || this.#state.ending) {
					continue;
				}
			}

			this.lastSent = Number(record.id);
			run.push(record);
		}

		if (!this.#state.closed) {
			flush();
		}
	}

	apply(step: Step): void {
		for (const event of step.events) {
			this.#sendStatus(event);
		}

		if (step.end) {
			this.#end();
		}
	}
}
