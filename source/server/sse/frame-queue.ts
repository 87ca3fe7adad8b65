import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {ServerMetrics} from '../metrics.js';
import type {BudgetedQueue, CutReason, QueueBudget} from './queue-budget.js';

export type QueueLimits = {maxEvents: number; maxBytes: number};

/** Most text one socket write takes: a larger frame goes out in slices, so a socket holds at most this of it. */
const CHUNK_CHARS = 64 * 1024;
/**
 * Replay reads the next history page while less than this waits here. Large enough that the socket
 * always has the next chunk ready when it drains (at 64 KB the server idled while a fast client read),
 * but at most half the slow-consumer limits, so replay alone never makes a client look slow.
 */
const ROOM_BYTES = 1024 * 1024;

const isHighSurrogate = (code: number) => code >= 0xd8_00 && code <= 0xdb_ff;

/**
 * Queues with something to write, pumped in the order they asked, by one setImmediate for all of them: a feed
 * batch fanned out to 10,000 clients is one callback that writes to each socket once, not 10,000 callbacks.
 */
let due: FrameQueue[] = [];

function pumpDue(): void {
	const queues = due;
	due = [];
	for (const queue of queues) {queue.pumpScheduled();}
}

/** What a socket has not handed to the kernel yet, as far as the server can see it. */
type Unsent = {length: number; queued: number};

/**
 * `writableLength` counts what the stream holds until each write is done whole; libuv's `writeQueueSize`
 * is what of the write under way the kernel has not taken yet, which shrinks as it takes part of it (Node's
 * own socket timeout reads it the same way to tell a slow write from a stuck one). A socket without it
 * (not a libuv stream) shows its progress by `writableLength` alone.
 */
function unsent(res: ServerResponse): Unsent {
	const socket = res.socket as (Socket & {_handle?: {writeQueueSize?: unknown}}) | null;
	const queued = socket?._handle?.writeQueueSize;
	return {length: res.writableLength, queued: typeof queued === 'number' ? queued : 0};
}

/**
 * The bounded queue between one SSE client and its socket. Frames wait here while the socket says no
 * (`res.write()` returned false) and go out on 'drain', in slices of at most CHUNK_CHARS, so what a stuck
 * socket holds stays small and frames shared by every client (a live record is serialized once) are not
 * copied per client while they wait. Nothing ever blocks the producer or another client. What it holds,
 * in UTF-8 bytes as written, is reported to the server's QueueBudget; the owner asks overLimit() before
 * adding more, and cuts the client (cutOff) instead of growing.
 */
export class FrameQueue implements BudgetedQueue {
	#frames: string[] = [];
	/** Beside each frame: its UTF-8 bytes (measured once, by whoever made it) and the events it holds (a feed batch's records may share one frame). */
	#sizes: number[] = [];
	#counts: number[] = [];
	/** Index of the first unsent frame: taking from the front must not copy the arrays. */
	#head = 0;
	/** Characters, and their bytes, of the first unsent frame already written (a large frame goes out in slices). */
	#offset = 0;
	#offsetBytes = 0;
	#bytes = 0;
	/** Events in the frames not fully written: what the event limit counts. */
	#events = 0;
	/** What the budget was last told this queue holds. */
	#reported = 0;
	#blocked = false;
	/** When the socket last refused more, or last took something while refusing (0: it takes what it is given). */
	#stalledSince = 0;
	/** What the socket had not taken when last looked at during a stall: less now is progress. */
	#unsent: Unsent = {length: 0, queued: 0};
	#scheduled = false;
	#cut = false;
	#roomWaiters: Array<() => void> = [];
	#emptyWaiters: Array<() => void> = [];

	readonly #res: ServerResponse;
	readonly #limits: QueueLimits;
	readonly #metrics: ServerMetrics;
	readonly #budget: QueueBudget;
	readonly #onCut: (reason: CutReason) => void;
	readonly #extraLoad: () => {events: number; bytes: number};

	constructor(
		res: ServerResponse,
		limits: QueueLimits,
		metrics: ServerMetrics,
		budget: QueueBudget,
		/** The owner cuts its client (the first cutOff only): says `slow-consumer` and ends. */
		onCut: (reason: CutReason) => void,
		/** Events waiting elsewhere for this client (the replay's live backlog) count toward the limit too. */
		extraLoad: () => {events: number; bytes: number} = () => ({events: 0, bytes: 0}),
	) {
		this.#res = res;
		this.#limits = limits;
		this.#metrics = metrics;
		this.#budget = budget;
		this.#onCut = onCut;
		this.#extraLoad = extraLoad;
		budget.add(this);
		res.on('drain', () => {
			this.#blocked = false;
			this.#stalledSince = 0;
			this.#pump();
		});
		res.once('close', () => {
			budget.remove(this);
			budget.change(-this.#reported);
			this.#reported = 0;
		});
	}

	get idle(): boolean {
		return this.#frames.length === this.#head && !this.#blocked;
	}

	get heldBytes(): number {
		return this.#reported;
	}

	get cut(): boolean {
		return this.#cut;
	}

	/**
	 * How long the socket has taken nothing while data waits. A client that reads slowly is not stalled: a
	 * full drain of a 64 KiB slice may take longer than the write timeout, but each part the kernel takes
	 * restarts the clock (looked at on each sweep), so only a socket that takes nothing for the timeout is cut.
	 */
	stalledMs(now: number): number {
		if (this.#stalledSince === 0) {return 0;}
		const current = unsent(this.#res);
		const last = this.#unsent;
		// While it refuses, nothing more is written to it: less held (a write done, or part of the one under way) is what it took.
		if (current.length < last.length || (current.length === last.length && current.queued < last.queued)) {
			this.#stalledSince = now;
		}

		this.#unsent = current;
		return now - this.#stalledSince;
	}

	cutOff(reason: CutReason): void {
		if (this.#cut) {
			// Cut already and still holding its socket: the budget or the write timeout wants it gone now.
			this.#res.destroy();
			return;
		}

		this.#cut = true;
		this.#metrics.slowConsumers.inc();
		this.#metrics.cuts.inc({reason});
		this.#onCut(reason);
	}

	get #length(): number {
		return this.#events;
	}

	/**
	 * Queues one frame of `bytes` UTF-8 bytes holding `events` events. The limit is not checked here: one batch
	 * may be larger than the queue, and a client that keeps up drains it before the next. The owner checks
	 * overLimit() when new data comes; the budget, which bounds the whole server, is told at once.
	 */
	push(frame: string, bytes = Buffer.byteLength(frame), events = 1): void {
		this.#frames.push(frame);
		this.#sizes.push(bytes);
		this.#counts.push(events);
		this.#bytes += bytes;
		this.#events += events;
		if (!this.#scheduled) {
			// One write per tick for everything a feed batch queued, not one per record.
			this.#scheduled = true;
			if (due.length === 0) {setImmediate(pumpDue);}
			due.push(this);
		}

		this.#report();
	}

	/**
	 * Called once per turn by the shared setImmediate (pumpDue) for a queue that pushed since. Node's HTTP layer
	 * corks the socket on a write and uncorks it on the next tick, which would come only after every queue of
	 * the turn wrote: this client's bytes go to the kernel now, before the next client's are written.
	 */
	pumpScheduled(): void {
		this.#scheduled = false;
		this.#pump();
		const socket = this.#res.socket;
		if (socket && socket.writableCorked > 0) {socket.uncork();}
	}

	overLimit(): boolean {
		const extra = this.#extraLoad();
		return this.#length + extra.events > this.#limits.maxEvents || this.#reported + extra.bytes > this.#limits.maxBytes;
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
		if (this.#frames.length === this.#head) {return;}
		return new Promise((resolve) => this.#emptyWaiters.push(resolve));
	}

	/**
	 * Drops what waits. Returns the rest of a frame the socket has only part of: a frame is never left cut
	 * short, so whatever is written after it (the `slow-consumer` error) must follow that rest.
	 */
	clear(): string {
		const rest = this.#offset > 0 ? this.#frames[this.#head]!.slice(this.#offset) : '';
		this.#frames = [];
		this.#sizes = [];
		this.#counts = [];
		this.#head = 0;
		this.#offset = 0;
		this.#offsetBytes = 0;
		this.#bytes = 0;
		this.#events = 0;
		this.#report();
		this.#wake();
		return rest;
	}

	/** Tells the budget what this queue holds now: its frames, and what its socket has not taken yet. */
	#report(): void {
		const held = this.#res.destroyed ? 0 : this.#bytes + this.#res.writableLength;
		if (held === this.#reported) {return;}
		const delta = held - this.#reported;
		this.#reported = held;
		this.#budget.change(delta);
	}

	#pump(): void {
		while (!this.#blocked && this.#frames.length > this.#head && !this.#res.destroyed && !this.#res.writableEnded) {
			const [chunk, count, bytes] = this.#nextChunk();
			if (chunk === '') {break;}
			this.#bytes -= bytes;
			this.#events -= count;
			this.#metrics.eventsSent.inc(count);
			this.#metrics.bytesSent.inc(bytes);
			this.#blocked = !this.#res.write(chunk);
			if (this.#blocked && this.#stalledSince === 0) {
				this.#stalledSince = Date.now();
				this.#unsent = unsent(this.#res);
			}
		}

		this.#report();
		this.#wake();
	}

	/**
	 * Up to CHUNK_CHARS of the queued text (a frame may be cut, never inside a surrogate pair), the events of
	 * the frames it ends, and its UTF-8 bytes (whole frames by their known size: nothing is measured twice).
	 */
	#nextChunk(): [string, number, number] {
		let chunk = '';
		let count = 0;
		let bytes = 0;
		while (this.#head < this.#frames.length && chunk.length < CHUNK_CHARS) {
			const frame = this.#frames[this.#head]!;
			const room = CHUNK_CHARS - chunk.length;
			if (frame.length - this.#offset <= room) {
				chunk += this.#offset === 0 ? frame : frame.slice(this.#offset);
				bytes += this.#sizes[this.#head]! - this.#offsetBytes;
				count += this.#counts[this.#head]!;
				this.#head++;
				this.#offset = 0;
				this.#offsetBytes = 0;
				continue;
			}

			let end = this.#offset + room;
			if (isHighSurrogate(frame.charCodeAt(end - 1))) {end--;}
			if (end <= this.#offset) {break;}
			const slice = frame.slice(this.#offset, end);
			const sliceBytes = Buffer.byteLength(slice);
			chunk += slice;
			bytes += sliceBytes;
			this.#offset = end;
			this.#offsetBytes += sliceBytes;
		}

		if (this.#head === this.#frames.length) {
			this.#frames = [];
			this.#sizes = [];
			this.#counts = [];
			this.#head = 0;
		} else if (this.#head > 4096) {
			this.#frames = this.#frames.slice(this.#head);
			this.#sizes = this.#sizes.slice(this.#head);
			this.#counts = this.#counts.slice(this.#head);
			this.#head = 0;
		}

		return [chunk, count, bytes];
	}

	#wake(): void {
		if (this.#roomWaiters.length > 0 && (this.#hasRoom() || this.#res.destroyed)) {
			const waiters = this.#roomWaiters;
			this.#roomWaiters = [];
			for (const resolve of waiters) {resolve();}
		}

		if ((this.#frames.length === this.#head || this.#res.destroyed) && this.#emptyWaiters.length > 0) {
			const waiters = this.#emptyWaiters;
			this.#emptyWaiters = [];
			for (const resolve of waiters) {resolve();}
		}
	}
}
