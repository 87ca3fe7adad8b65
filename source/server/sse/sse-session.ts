import type {IncomingMessage, ServerResponse} from 'node:http';
import {meetsFloor} from '../../protocol/levels.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import type {StatusEvent, WireEvent} from '../../protocol/events.js';
import {SSE_HEADERS, sseEvent, sseRetry} from '../../protocol/sse.js';
import type {ServerMetrics} from '../metrics.js';
import type {StreamParams} from '../params.js';
import type {RunCache} from '../run-cache.js';
import type {LogStore} from '../store/log-store.js';
import type {FeedEvent} from '../store/types.js';
import type {ServedStream} from '../served-stream.js';
import {RECORD_OVERHEAD_BYTES} from '../store/rows.js';
import {scopeMatches} from '../store/scope.js';
import {FrameQueue, type QueueLimits} from './frame-queue.js';
import {joinHeartbeat} from './heartbeats.js';
import {logFrame, selectionFrame, sharedBatchFrame, sharedLogFrame, type Frame} from './log-frames.js';
import type {CutReason, QueueBudget} from './queue-budget.js';
import {replayStart, type ReplayStart} from './replay-start.js';
import {SessionRuns} from './session-runs.js';
import {RunFollower, type FollowMode, type Step} from './run-follower.js';

export type SessionContext = {
	store: LogStore;
	/** Runs known in-process: the live path asks it, never the store. */
	runs: RunCache;
	metrics: ServerMetrics;
	limits: QueueLimits;
	/** The server-wide bound on bytes queued for all clients, and the write timeout's sweep. */
	budget: QueueBudget;
	/** A client cut while its socket holds unread data is freed after this long (the write timeout). */
	writeTimeoutMs: number;
	retryMs: number;
	log: (line: string) => void;
};

const PAGE = 500;

const NO_LOAD = Object.freeze({events: 0, bytes: 0});

/** What each stream shape selected of a feed batch, kept as long as the batch (see #mine). */
const selections = new WeakMap<readonly StoredLogRecord[], Map<string, FeedEvent | undefined>>();
/** A replay page holds at most this much text (and one record, however large): pages are sized in bytes too. */
const PAGE_BYTES = 1024 * 1024;

/**
 * One SSE client. Subscribes to the store's committed feed first, replays history from the store in pages (only when its
 * queue has room), then sends live records, dropping any whose id was already sent: no gap and no
 * duplicate at the seam, even while ingest runs. Follows the entity's newest run unless pinned.
 */
export class SseSession {
	readonly #queue: FrameQueue;
	#pending: FeedEvent[] | undefined = [];
	#pendingRecords = 0;
	/** The live backlog's size as its frames will be, near enough: text and a fixed overhead per record. */
	#pendingBytes = 0;
	#sessionRuns!: SessionRuns;
	#lastSent = 0;
	#runs!: RunFollower;
	#closed = false;
	#ending = false;
	#leaveHeartbeat: (() => void) | undefined;
	/** The stream's shape for shared frames: clients of one stream and level floor select the same records. */
	readonly #shape: string;
	#unsubscribe: (() => void) | undefined;
	readonly #closedPromise: Promise<void>;

	readonly #ctx: SessionContext;
	readonly #target: ServedStream;
	readonly #params: StreamParams;
	readonly #res: ServerResponse;
	#onDone: () => void;

	constructor(
		ctx: SessionContext,
		target: ServedStream,
		params: StreamParams,
		req: IncomingMessage,
		res: ServerResponse,
		/** Called once when the session stops counting as open: closed, or cut and only flushing its last words. */
		onDone: () => void = () => {},
	) {
		this.#ctx = ctx;
		this.#target = target;
		this.#params = params;
		this.#res = res;
		this.#onDone = onDone;
		this.#shape = `${target.name}\n${params.level ?? ''}`;
		this.#queue = new FrameQueue(res, ctx.limits, ctx.metrics, ctx.budget, (reason) => this.#cutSlowConsumer(reason), () => (this.#pending === undefined ? NO_LOAD : {
			events: this.#pendingRecords,
			bytes: this.#pendingBytes,
		}));
		this.#closedPromise = new Promise((resolve) => res.once('close', resolve));
		res.once('close', () => this.#cleanup());
		req.socket.setNoDelay(true);
		req.socket.setKeepAlive(true, 30_000);
	}

	/**
	 * What the stream needs before its first byte, read from the store while a refusal can still be an HTTP
	 * answer (a 503 when the database is away): the run it follows, and where its replay starts.
	 */
	async #prepare(): Promise<ReplayStart> {
		const {scope} = this.#target;
		const mode: FollowMode = scope.runId !== undefined ? 'pinned' : scope.kind === 'all' ? 'none' : 'entity';
		// A resumed entity stream goes on with the run the client says it follows (`current`), else with the
		// run of its last record (which can be older: `from=` replays earlier runs, overlapping runs send late
		// lines), then catches up run by run.
		const {resumeAfter, current} = this.#params;
		const resumed = mode === 'entity' && resumeAfter !== undefined ? await this.#resumedRun(scope, resumeAfter, current) : undefined;
		const following = resumed ?? this.#target.currentRun?.runId;
		// The runs the follower may have to settle, known before the live path asks (it never waits for the store).
		this.#sessionRuns = new SessionRuns(this.#ctx.runs, this.#ctx.store);
		for (const runId of new Set([following, this.#target.currentRun?.runId])) {
			if (runId !== undefined) {await this.#sessionRuns.load(runId);}
		}

		this.#runs = new RunFollower(following, mode, this.#params.follow, (runId) => this.#sessionRuns.get(runId));
		return replayStart(this.#ctx.store, this.#target, this.#params);
	}

	async #resumedRun(scope: ServedStream['scope'], resumeAfter: number, current: string | undefined): Promise<string | undefined> {
		const run = current === undefined ? undefined : await this.#ctx.runs.load(current);
		return run && this.#target.ownsRun(run) ? run.runId : this.#ctx.store.runAt(scope, resumeAfter);
	}

	get streamName(): string {
		return this.#target.name;
	}

	get isClosed(): boolean {
		return this.#closed;
	}

	async start(): Promise<void> {
		const start = await this.#prepare();
		if (this.#closed) {return;}
		this.#res.writeHead(200, SSE_HEADERS);
		this.#unsubscribe = this.#ctx.store.feed.subscribe((event) => {
			try {
				this.#onFeed(event);
			} catch (error) {
				// One broken session must not stop the fan-out to the others; its client resumes by Last-Event-ID.
				this.#ctx.log(`stream ${this.#target.name} failed and was closed: ${(error as Error).stack ?? String(error)}`);
				this.#res.destroy();
			}
		});
		this.#queue.push(sseRetry(this.#ctx.retryMs));
		this.#sendStatus({
			type: 'status',
			status: 'connected',
			stream: this.#target.name,
			...(this.#runs.runId ? {runId: this.#runs.runId} : {}),
			epoch: this.#ctx.store.epoch,
			heartbeatMs: this.#params.heartbeatMs,
			serverTime: new Date().toISOString(),
		});
		await this.#replay(start);
		if (this.#closed || this.#ending) {return;}
		this.#afterReplay();
		this.#leaveHeartbeat = joinHeartbeat(this.#params.heartbeatMs, this);
	}

	/** Server draining: tell the client, flush, end. Resolves when the connection is closed. */
	async shutdown(): Promise<void> {
		if (!this.#closed && !this.#ending) {
			this.#sendStatus({type: 'status', status: 'shutdown'});
			void this.#endAfterFlush();
		}

		return this.#closedPromise;
	}

	destroy(): void {
		this.#res.destroy();
	}

	async #replay(start: ReplayStart): Promise<void> {
		if (start.truncated) {this.#sendStatus(start.truncated);}
		this.#lastSent = start.after;
		if (start.scope) {
			for (;;) {
				const query = {after: this.#lastSent, level: this.#params.level, fromTime: start.fromTime, limit: PAGE, maxBytes: PAGE_BYTES};
				const {records: page, cut} = await this.#ctx.store.history(start.scope, query);
				if (this.#closed || this.#ending) {return;}
				// A page that moves on to another run: the run left must be known as the store has it now.
				if (page.some((record) => record.runId !== this.#runs.runId)) {
					await this.#sessionRuns.readFromStore([this.#runs.runId, ...page.map((record) => record.runId)]);
					if (this.#closed || this.#ending) {return;}
				}

				for (const record of page) {
					this.#target.noteRecord(record);
					this.#sendRecord(record, logFrame);
				}

				// Every id of the page is handled, sent or not (follow=false skips newer runs): the next page and
				// the live backlog start after it.
				if (page.length > 0) {this.#lastSent = Math.max(this.#lastSent, Number(page.at(-1)!.id));}
				if ((page.length < PAGE && !cut) || this.#closed || this.#ending) {break;}
				await this.#queue.room();
				if (this.#closed || this.#ending) {return;}
			}
		}

		// settle() after the replay completes the run it is on, and may move on from it: as the store has it.
		await this.#sessionRuns.readFromStore([this.#runs.runId]);
	}

	#afterReplay(): void {
		const pending = this.#pending ?? [];
		this.#pending = undefined;
		this.#pendingRecords = 0;
		this.#pendingBytes = 0;
		this.#apply(this.#runs.settle(this.#target.currentRun));
		for (const event of pending) {this.#deliver(event);}
	}

	#onFeed(event: FeedEvent): void {
		if (this.#closed || this.#ending) {return;}
		// Each record is tested here once: other entities' lines and lines under the level floor are nothing to
		// this client; they neither wait for it during replay nor count against its limit, however busy another run is.
		const mine = this.#mine(event);
		if (!mine) {return;}
		// New data for it while it still holds more than the limit unread: it is not keeping up.
		if (this.#queue.overLimit()) {
			this.#queue.cutOff('queue');
			return;
		}

		if (this.#pending) {
			this.#pending.push(mine);
			if (mine.type === 'logs') {
				this.#pendingRecords += mine.records.length;
				for (const record of mine.records) {this.#pendingBytes += record.message.length + RECORD_OVERHEAD_BYTES;}
			}

			return;
		}

		this.#deliver(mine, event.type === 'logs' ? event.records : undefined);
	}

	/**
	 * What of a feed event is for this client: the records of its scope at or above its floor, or a run event
	 * of its entity; undefined for nothing. Every record of the scope is noted (a task's new owner), whatever its level.
	 */
	#mine(event: FeedEvent): FeedEvent | undefined {
		if (event.type !== 'logs') {return this.#target.ownsRun(event.run) ? event : undefined;}
		const {kind} = this.#target.scope;
		if (kind === 'task' || kind === 'artifact') {return this.#select(event);}
		// Other streams note nothing: what one selects is what every stream of its shape selects.
		let selected = selections.get(event.records);
		if (selected === undefined) {
			selected = new Map();
			selections.set(event.records, selected);
		}

		let mine = selected.get(this.#shape);
		if (mine === undefined && !selected.has(this.#shape)) {
			mine = this.#select(event);
			selected.set(this.#shape, mine);
		}

		return mine;
	}

	#select(event: FeedEvent & {type: 'logs'}): FeedEvent | undefined {
		const records: StoredLogRecord[] = [];
		for (const record of event.records) {
			if (scopeMatches(this.#target.scope, record)) {
				this.#target.noteRecord(record);
				if (meetsFloor(record.level, this.#params.level)) {records.push(record);}
			}
		}

		return records.length === 0 ? undefined : {type: 'logs', records};
	}

	/**
	 * Sends what #mine kept, past the replay: records the replay already sent are dropped by id. Live, with the
	 * feed batch the records came from (`batch`), records in a row that go out as they are share one frame
	 * with every client of the same stream: one string made once, one push and one write per client.
	 */
	#deliver(event: FeedEvent, batch?: readonly StoredLogRecord[]): void {
		if (this.#closed || this.#ending) {return;}
		if (event.type === 'logs') {
			if (batch === undefined) {
				for (const record of event.records) {
					if (Number(record.id) > this.#lastSent) {this.#sendRecord(record, sharedLogFrame);}
				}
			} else {
				this.#sendLive(event.records, batch);
			}
		} else if (event.type === 'run-started') {
			this.#apply(this.#runs.runStarted(event.run));
		} else {
			this.#apply(this.#runs.runCompleted(event.run, event.durationMs));
		}
	}

	#sendRecord(record: StoredLogRecord, frame: (record: StoredLogRecord) => Frame): void {
		// Both paths filtered by level already: the replay in the store's query, live records in #mine.
		if (this.#closed || this.#ending) {return;}
		// A record of a newer run says that run started, even if its run-started is still in the backlog.
		const step = this.#runs.beforeRecord(record.runId);
		this.#apply(step);
		if (!step.send || this.#ending) {return;}
		this.#lastSent = Number(record.id);
		this.#queue.pushFrame(frame(record));
	}

	/** As #sendRecord for each record, in order, but a run of records with no status between them is one frame. */
	#sendLive(records: readonly StoredLogRecord[], batch: readonly StoredLogRecord[]): void {
		if (Number(records[0]!.id) > this.#lastSent && this.#runs.sendsAll(records)) {
			// The usual case: all of them, nothing between them; the frame every client of the shape writes.
			this.#lastSent = Number(records.at(-1)!.id);
			this.#queue.pushFrame(selectionFrame(batch, this.#shape, records), records.length);
			return;
		}

		let run: StoredLogRecord[] = [];
		const flush = () => {
			if (run.length === 0) {return;}
			this.#queue.pushFrame(sharedBatchFrame(batch, this.#shape, run), run.length);
			run = [];
		};

		for (const record of records) {
			if (this.#closed || this.#ending) {break;}
			if (Number(record.id) <= this.#lastSent) {continue;}
			const step = this.#runs.beforeRecord(record.runId);
			if (step.events.length > 0 || step.end || !step.send) {
				// A status goes between records, or the record is not sent: what came before goes out first.
				flush();
				this.#apply(step);
				if (!step.send || this.#ending) {continue;}
			}

			this.#lastSent = Number(record.id);
			run.push(record);
		}

		if (!this.#closed) {flush();}
	}

	#apply(step: Step): void {
		for (const event of step.events) {this.#sendStatus(event);}
		if (step.end) {void this.#endAfterFlush();}
	}

	#sendStatus(event: StatusEvent): void {
		if (!this.#closed && !this.#ending) {this.#queue.push(sseEvent(event));}
	}

	/** A heartbeat's comment, one frame for every session of its interval. */
	beat(frame: Frame): void {
		// Data waiting to go out already says the connection lives; a comment behind it adds nothing.
		if (this.#queue.idle && !this.#closed && !this.#ending) {this.#queue.pushFrame(frame, 0);}
	}

	async #endAfterFlush(): Promise<void> {
		this.#ending = true;
		await this.#queue.drained();
		if (!this.#closed) {this.#res.end();}
	}

	#cutSlowConsumer(reason: CutReason): void {
		if (this.#closed) {return;}
		if (this.#ending) {
			// Already ending (follow=false, shutdown) and flushing to a client that takes nothing: free it now.
			this.#res.destroy();
			return;
		}

		this.#ending = true;
		this.#done();
		this.#unsubscribe?.();
		const rest = this.#queue.clear();
		this.#pending = undefined;
		this.#pendingRecords = 0;
		this.#pendingBytes = 0;
		// Straight to the socket: the client reads it after what is already buffered, then resumes from its last id.
		const error: WireEvent = {type: 'error', error: {code: 'slow-consumer', message: this.#cutMessage(reason), recoverable: true}};
		this.#res.end(rest + sseEvent(error));
		// A client that took nothing for the write timeout will not read this either; one that reads nothing
		// never lets end() finish: free the socket.
		if (reason === 'write-timeout') {
			this.#res.destroy();
		} else {
			setTimeout(() => this.#res.destroy(), this.#ctx.writeTimeoutMs).unref();
		}
	}

	#cutMessage(reason: CutReason): string {
		const resume = 'reconnect with Last-Event-ID to resume';
		switch (reason) {
			case 'queue': {
				return `this client fell more than ${this.#ctx.limits.maxEvents} events or ${this.#ctx.limits.maxBytes} bytes behind; ${resume}`;
			}

			case 'budget': {
				return `the server holds more than ${this.#ctx.budget.maxBytes} bytes for its clients and this one was furthest behind; ${resume}`;
			}

			case 'write-timeout': {
				return `this client took nothing for ${this.#ctx.writeTimeoutMs / 1000} s; ${resume}`;
			}
		}
	}

	#done(): void {
		const onDone = this.#onDone;
		this.#onDone = () => {};
		onDone();
	}

	#cleanup(): void {
		if (this.#closed) {return;}
		this.#closed = true;
		this.#done();
		this.#unsubscribe?.();
		this.#leaveHeartbeat?.();
		this.#queue.clear();
		this.#pending = undefined;
	}
}
