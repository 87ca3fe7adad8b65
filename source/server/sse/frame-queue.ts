import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {ServerMetrics} from '../metrics.js';
import {directSocket} from './direct-write.js';
import {FrameList} from './frame-list.js';
import type {Frame} from './log-frames.js';
import type {BudgetedQueue, CutReason, QueueBudget} from './queue-budget.js';
import {unsent, type Unsent} from './socket-unsent.js';
import {schedule} from './write-pump.js';

export type QueueLimits = {maxEvents: number; maxBytes: number};

/**
 * Replay reads the next history page while less than this waits here. Large enough that the socket
 * always has the next chunk ready when it drains (at 64 KB the server idled while a fast client read),
 * but at most half the slow-consumer limits, so replay alone never makes a client look slow.
 */
const ROOM_BYTES = 1024 * 1024;

/**
 * The bounded queue between one SSE client and its socket. Frames wait here while the socket says no
 * (`res.write()` returned false) and go out on 'drain', in slices of at most CHUNK_CHARS, so what a stuck
 * socket holds stays small and frames shared by every client (a live record is serialized once) are not
 * copied per client while they wait. Nothing ever blocks the producer or another client. What it holds,
 * in UTF-8 bytes as written, is reported to the server's QueueBudget; the owner asks overLimit() before
 * adding more, and cuts the client (cutOff) instead of growing.
 */
export class FrameQueue implements BudgetedQueue {
	readonly #frames = new FrameList();
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
	/** The response closed: the budget was given back what this queue held, and is told nothing more. */
	#gone = false;
	#roomWaiters: Array<() => void> = [];
	#emptyWaiters: Array<() => void> = [];

	readonly #res: ServerResponse;
	/** The socket the response had when the queue was made: the only one written straight to (its 'drain' is heard). */
	readonly #socket: Socket | undefined;
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
		const drained = () => {
			this.#blocked = false;
			this.#stalledSince = 0;
			this.#pump();
		};

		// Frames written straight to the socket are waited for on the socket; those through the response, on it.
		const socket = res.socket ?? undefined;
		this.#socket = socket;
		res.on('drain', drained);
		socket?.on('drain', drained);
		res.once('close', () => {
			this.#gone = true;
			socket?.off('drain', drained);
			budget.remove(this);
			budget.change(-this.#reported);
			this.#reported = 0;
		});
	}

	get idle(): boolean {
		return this.#frames.empty && !this.#blocked;
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
		if (this.#stalledSince === 0) {
			return 0;
		}

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
	push(text: string, bytes = Buffer.byteLength(text), events = 1): void {
		this.pushFrame({text, bytes}, events);
	}

	/** As push(), for a frame made once for many clients (its wire bytes are kept on it). */
	pushFrame(frame: Frame, events = 1): void {
		this.#frames.push(frame, events);
		this.#bytes += frame.bytes;
		this.#events += events;
		if (!this.#scheduled) {
			// One write per turn for everything a feed batch queued, not one per record.
			this.#scheduled = true;
			schedule(this);
		}

		// The frame's bytes, without asking the response what its socket holds (that waits for the pump's report).
		if (!this.#gone) {
			this.#reported += frame.bytes;
			this.#budget.change(frame.bytes);
		}
	}

	/**
	 * Called once per turn by the shared setImmediate (write-pump.ts) for a queue that pushed since. Node's HTTP layer
	 * corks the socket on a write and uncorks it on the next tick, which would come only after every queue of
	 * the turn wrote: this client's bytes go to the kernel now, before the next client's are written.
	 */
	pumpScheduled(): void {
		this.#scheduled = false;
		this.#pump();
		const socket = this.#res.socket;
		if (socket && socket.writableCorked > 0) {
			socket.uncork();
		}
	}

	overLimit(): boolean {
		const extra = this.#extraLoad();
		return this.#length + extra.events > this.#limits.maxEvents || this.#reported + extra.bytes > this.#limits.maxBytes;
	}

	/** Resolves when the queue is short again: replay reads its next page of history only then. */
	async room(): Promise<void> {
		if (this.#hasRoom()) {
			return;
		}

		return new Promise((resolve) => this.#roomWaiters.push(resolve));
	}

	#hasRoom(): boolean {
		return this.#bytes < Math.min(ROOM_BYTES, this.#limits.maxBytes / 2) && this.#length < this.#limits.maxEvents / 2;
	}

	/** Resolves when everything queued was handed to the socket. */
	async drained(): Promise<void> {
		if (this.#frames.empty) {
			return;
		}

		return new Promise((resolve) => this.#emptyWaiters.push(resolve));
	}

	/**
	 * Drops what waits. Returns the rest of a frame the socket has only part of: a frame is never left cut
	 * short, so whatever is written after it (the `slow-consumer` error) must follow that rest.
	 */
	clear(): string {
		const rest = this.#frames.clear();
		this.#bytes = 0;
		this.#events = 0;
		this.#report();
		this.#wake();
		return rest;
	}

	/** Tells the budget what this queue holds now: its frames, and what its socket has not taken yet. */
	#report(): void {
		if (this.#gone) {
			return;
		}

		const held = this.#res.destroyed ? 0 : this.#bytes + this.#res.writableLength;
		if (held === this.#reported) {
			return;
		}

		const delta = held - this.#reported;
		this.#reported = held;
		this.#budget.change(delta);
	}

	#pump(): void {
		while (!this.#blocked && !this.#frames.empty && !this.#res.destroyed && !this.#res.writableEnded) {
			const whole = this.#frames.nextWhole;
			const socket = whole ? directSocket(this.#res, this.#socket, whole) : undefined;
			const [chunk, count, bytes] = socket ? this.#frames.nextWire(this.#res) : this.#frames.nextChunk();
			if (chunk.length === 0) {
				break;
			}

			this.#bytes -= bytes;
			this.#events -= count;
			this.#metrics.eventsSent.inc(count);
			this.#metrics.bytesSent.inc(bytes);
			this.#blocked = socket ? !socket.write(chunk) : !this.#res.write(chunk);
			if (this.#blocked && this.#stalledSince === 0) {
				this.#stalledSince = Date.now();
				this.#unsent = unsent(this.#res);
			}
		}

		this.#report();
		this.#wake();
	}

	#wake(): void {
		if (this.#roomWaiters.length > 0 && (this.#hasRoom() || this.#res.destroyed)) {
			const waiters = this.#roomWaiters;
			this.#roomWaiters = [];
			for (const resolve of waiters) {
				resolve();
			}
		}

		if ((this.#frames.empty || this.#res.destroyed) && this.#emptyWaiters.length > 0) {
			const waiters = this.#emptyWaiters;
			this.#emptyWaiters = [];
			for (const resolve of waiters) {
				resolve();
			}
		}
	}
}
