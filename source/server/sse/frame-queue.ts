import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {ServerMetrics} from '../metrics.js';
import type {Frame} from './log-frames.js';
import type {BudgetedQueue, CutReason, QueueBudget} from './queue-budget.js';

export type QueueLimits = {maxEvents: number; maxBytes: number};

/** Most text one socket write takes: a larger frame goes out in slices, so a socket holds at most this of it. */
const CHUNK_CHARS = 64 * 1024;
/** Most bytes of whole frames put together in one write straight to the socket. */
const CHUNK_BYTES = 64 * 1024;
/**
 * Replay reads the next history page while less than this waits here. Large enough that the socket
 * always has the next chunk ready when it drains (at 64 KB the server idled while a fast client read),
 * but at most half the slow-consumer limits, so replay alone never makes a client look slow.
 */
const ROOM_BYTES = 1024 * 1024;

const isHighSurrogate = (code: number) => code >= 0xd8_00 && code <= 0xdb_ff;

/**
 * How long one turn of the pump may hold the event loop. The queues it did not reach go first next turn,
 * after the loop has read what came in (a producer's batch, new clients), and send what they gathered
 * meanwhile in one write: under load a client gets fewer, larger writes (a write to a socket costs the
 * kernel some 5 µs whatever its size), and every client still waits at most one round.
 */
const SLICE_MS = 8;

/**
 * Queues with something to write, pumped in the order they asked, by one setImmediate for all of them: a feed
 * batch fanned out to 10,000 clients is one callback that writes to each socket once, not 10,000 callbacks.
 */
let due: FrameQueue[] = [];
let planned = false;

function schedule(queue: FrameQueue): void {
	due.push(queue);
	if (!planned) {
		planned = true;
		setImmediate(pumpDue);
	}
}

function pumpDue(): void {
	planned = false;
	const queues = due;
	due = [];
	const started = performance.now();
	let index = 0;
	while (index < queues.length) {
		queues[index++]!.pumpScheduled();
		if ((index & 63) === 0 && performance.now() - started >= SLICE_MS) {break;}
	}

	if (index < queues.length) {
		due = due.length === 0 ? queues.slice(index) : [...queues.slice(index), ...due];
		planned = true;
		setImmediate(pumpDue);
	}
}

/**
 * A frame as an HTTP/1.1 chunk (size line, text, CRLF), kept on a shared frame for every client after the
 * first. The bare text of an HTTP/1.0 answer is the middle of it.
 */
function chunkOf(frame: Frame): Buffer {
	if (frame.wire !== undefined) {return frame.wire;}
	const head = `${frame.bytes.toString(16)}\r\n`;
	let wire = Buffer.allocUnsafe(head.length + frame.bytes + 2);
	wire.write(head, 0, 'latin1');
	if (wire.write(frame.text, head.length, 'utf8') === frame.bytes) {
		wire.write('\r\n', head.length + frame.bytes, 'latin1');
	} else {
		// A size that was not the text's (never made by this server's frames): the text's own.
		const text = Buffer.from(frame.text);
		wire = Buffer.concat([Buffer.from(`${text.length.toString(16)}\r\n`), text, Buffer.from('\r\n')]);
	}

	if (frame.shared) {frame.wire = wire;}
	return wire;
}

/**
 * The last several shared frames written as one chunk, and that chunk: clients of one stream that the pump
 * reached at the same point of a round hold the same frames, and take the same bytes.
 */
let together: {frames: Frame[]; wire: Buffer} | undefined;

function sameFrames(frames: readonly Frame[], from: number, to: number, kept: readonly Frame[]): boolean {
	if (kept.length !== to - from) {return false;}
	for (let index = from; index < to; index++) {
		if (frames[index] !== kept[index - from]) {return false;}
	}

	return true;
}

/** The text of a chunk made by chunkOf. */
const chunkText = (chunk: Buffer) => chunk.subarray(chunk.indexOf(0x0a) + 1, -2);

/** Node's HTTP internals the direct write reads: whether the answer owns its socket and has sent its head. */
type OpenResponse = ServerResponse & {_headerSent?: boolean; _hasBody?: boolean; chunkedEncoding?: boolean; outputData?: unknown[]};

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
	/** Each with its UTF-8 bytes (measured once, by whoever made it). */
	#frames: Frame[] = [];
	/** Beside each frame: the events it holds (a feed batch's records may share one frame). */
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
	push(text: string, bytes = Buffer.byteLength(text), events = 1): void {
		this.pushFrame({text, bytes}, events);
	}

	/** As push(), for a frame made once for many clients (its wire bytes are kept on it). */
	pushFrame(frame: Frame, events = 1): void {
		this.#frames.push(frame);
		this.#counts.push(events);
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
		const rest = this.#offset > 0 ? this.#frames[this.#head]!.text.slice(this.#offset) : '';
		this.#frames = [];
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
		if (this.#gone) {return;}
		const held = this.#res.destroyed ? 0 : this.#bytes + this.#res.writableLength;
		if (held === this.#reported) {return;}
		const delta = held - this.#reported;
		this.#reported = held;
		this.#budget.change(delta);
	}

	#pump(): void {
		while (!this.#blocked && this.#frames.length > this.#head && !this.#res.destroyed && !this.#res.writableEnded) {
			const socket = this.#offset === 0 ? this.#ownSocket() : undefined;
			const [chunk, count, bytes] = socket ? this.#nextWire() : this.#nextChunk();
			if (chunk.length === 0) {break;}
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

	/**
	 * The socket, when frames may go to it straight: the answer's head is sent, nothing of it waits in the
	 * response, and the socket is this answer's (not a pipelined request's). Then a frame is one write of bytes
	 * made once for every client (chunkOf), where the response would encode each client's copy and write the
	 * chunk's size line, text and CRLF as three; the first write, and any other time, go through the response.
	 */
	#ownSocket(): Socket | undefined {
		const res = this.#res as OpenResponse;
		const socket = this.#socket as (Socket & {_httpMessage?: unknown}) | undefined;
		if (socket === undefined || res.socket !== socket || res._headerSent !== true || res._hasBody === false || socket._httpMessage !== res || (res.outputData?.length ?? 0) > 0) {return undefined;}
		if (this.#frames[this.#head]!.text.length > CHUNK_CHARS) {return undefined;}
		return socket;
	}

	/**
	 * Whole frames from the head, up to CHUNK_BYTES (at least one), as the socket takes them: one frame's kept
	 * chunk as it is, several as one chunk; the events of those frames, and their UTF-8 bytes.
	 */
	#nextWire(): [Buffer, number, number] {
		const chunked = (this.#res as OpenResponse).chunkedEncoding === true;
		let end = this.#head + 1;
		let bytes = this.#frames[this.#head]!.bytes;
		let count = this.#counts[this.#head]!;
		while (end < this.#frames.length && this.#frames[end]!.text.length <= CHUNK_CHARS && bytes + this.#frames[end]!.bytes <= CHUNK_BYTES) {
			bytes += this.#frames[end]!.bytes;
			count += this.#counts[end]!;
			end++;
		}

		let wire: Buffer;
		if (end === this.#head + 1) {
			const chunk = chunkOf(this.#frames[this.#head]!);
			wire = chunked ? chunk : chunkText(chunk);
		} else if (together !== undefined && sameFrames(this.#frames, this.#head, end, together.frames)) {
			wire = chunked ? together.wire : chunkText(together.wire);
		} else {
			const head = `${bytes.toString(16)}\r\n`;
			const chunk = Buffer.allocUnsafe(head.length + bytes + 2);
			let at = chunk.write(head, 0, 'latin1');
			let shared = true;
			for (let index = this.#head; index < end; index++) {
				const frame = this.#frames[index]!;
				shared &&= frame.shared === true;
				at += frame.shared ? chunkText(chunkOf(frame)).copy(chunk, at) : chunk.write(frame.text, at, 'utf8');
			}

			chunk.write('\r\n', at, 'latin1');
			if (shared) {together = {frames: this.#frames.slice(this.#head, end), wire: chunk};}
			wire = chunked ? chunk : chunkText(chunk);
		}

		this.#head = end;
		this.#compact();
		return [wire, count, bytes];
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
			const {text: frame, bytes: size} = this.#frames[this.#head]!;
			const room = CHUNK_CHARS - chunk.length;
			if (frame.length - this.#offset <= room) {
				chunk += this.#offset === 0 ? frame : frame.slice(this.#offset);
				bytes += size - this.#offsetBytes;
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

		this.#compact();
		return [chunk, count, bytes];
	}

	#compact(): void {
		if (this.#head === this.#frames.length) {
			// Emptied in place: a live client's queue empties on every write, and new arrays would be garbage each time.
			this.#frames.length = 0;
			this.#counts.length = 0;
			this.#head = 0;
		} else if (this.#head > 4096) {
			this.#frames = this.#frames.slice(this.#head);
			this.#counts = this.#counts.slice(this.#head);
			this.#head = 0;
		}
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
