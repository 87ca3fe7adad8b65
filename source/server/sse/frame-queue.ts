import type {ServerResponse} from 'node:http';
import type {ServerMetrics} from '../metrics.js';

export type QueueLimits = {maxEvents: number; maxBytes: number};

const CHUNK_BYTES = 64 * 1024;
/**
 * Replay reads the next history page while less than this waits here. Large enough that the socket
 * always has the next chunk ready when it drains (at 64 KB the server idled while a fast client read),
 * but at most half the slow-consumer limits, so replay alone never makes a client look slow.
 */
const ROOM_BYTES = 1024 * 1024;

/**
 * The bounded queue between one SSE client and its socket. Frames wait here while the socket says no
 * (`res.write()` returned false) and go out on 'drain'; nothing ever blocks the producer or another
 * client. The owner asks overLimit() before adding more, and cuts the client instead of growing.
 */
export class FrameQueue {
	#frames: string[] = [];
	/** Index of the first unsent frame: taking from the front must not copy the array. */
	#head = 0;
	#bytes = 0;
	#blocked = false;
	#scheduled = false;
	#roomWaiters: Array<() => void> = [];
	#emptyWaiters: Array<() => void> = [];

	readonly #res: ServerResponse;
	readonly #limits: QueueLimits;
	readonly #metrics: ServerMetrics;
	readonly #extraLoad: () => {events: number; bytes: number};

	constructor(
		res: ServerResponse,
		limits: QueueLimits,
		metrics: ServerMetrics,
		/** Events waiting elsewhere for this client (the replay's live backlog) count toward the limit too. */
		extraLoad: () => {events: number; bytes: number} = () => ({events: 0, bytes: 0}),
	) {
		this.#res = res;
		this.#limits = limits;
		this.#metrics = metrics;
		this.#extraLoad = extraLoad;
		res.on('drain', () => {
			this.#blocked = false;
			this.#pump();
		});
	}

	get idle(): boolean {
		return this.#length === 0 && !this.#blocked;
	}

	get #length(): number {
		return this.#frames.length - this.#head;
	}

	/**
	 * Queues one frame. The limit is not checked here: one batch may be larger than the queue, and a
	 * client that keeps up drains it before the next. The owner checks overLimit() when new data comes.
	 */
	push(frame: string): void {
		this.#frames.push(frame);
		this.#bytes += frame.length;
		if (!this.#scheduled) {
			// One write per tick for everything a feed batch queued, not one per record.
			this.#scheduled = true;
			setImmediate(() => {
				this.#scheduled = false;
				this.#pump();
			});
		}
	}

	overLimit(): boolean {
		const extra = this.#extraLoad();
		return this.#length + extra.events > this.#limits.maxEvents || this.#bytes + extra.bytes > this.#limits.maxBytes;
	}

	/** Resolves when the queue is short again: replay reads its next page of history only then. */
	async room(): Promise<void> {
		if (this.#hasRoom()) {return;}
		return new Promise((resolve) => this.#roomWaiters.push(resolve));
	}

	#hasRoom(): boolean {
		return this.#bytes < Math.min(ROOM_BYTES, this.#limits.maxBytes / 2) && this.#length < this.#limits.maxEvents / 2;
	}

	/** Resolves when everything queued was handed to the socket. */
	async drained(): Promise<void> {
		if (this.#length === 0) {return;}
		return new Promise((resolve) => this.#emptyWaiters.push(resolve));
	}

	clear(): void {
		this.#frames = [];
		this.#head = 0;
		this.#bytes = 0;
		this.#wake();
	}

	#pump(): void {
		while (!this.#blocked && this.#length > 0 && !this.#res.destroyed && !this.#res.writableEnded) {
			let chunk = '';
			let count = 0;
			while (this.#head < this.#frames.length && chunk.length < CHUNK_BYTES) {
				chunk += this.#frames[this.#head++];
				count++;
			}

			if (this.#head === this.#frames.length) {
				this.#frames = [];
				this.#head = 0;
			} else if (this.#head > 4096) {
				this.#frames = this.#frames.slice(this.#head);
				this.#head = 0;
			}

			this.#bytes -= chunk.length;
			this.#metrics.eventsSent.inc(count);
			this.#metrics.bytesSent.inc(Buffer.byteLength(chunk));
			this.#blocked = !this.#res.write(chunk);
		}

		this.#wake();
	}

	#wake(): void {
		if (this.#roomWaiters.length > 0 && this.#hasRoom()) {
			const waiters = this.#roomWaiters;
			this.#roomWaiters = [];
			for (const resolve of waiters) {resolve();}
		}

		if ((this.#length === 0 || this.#res.destroyed) && this.#emptyWaiters.length > 0) {
			const waiters = this.#emptyWaiters;
			this.#emptyWaiters = [];
			for (const resolve of waiters) {resolve();}
		}
	}
}
