import type {IncomingMessage, ServerResponse} from 'node:http';
import type {StatusEvent, WireEvent} from '../../protocol/events.js';
import {SSE_HEADERS, sseEvent, sseRetry} from '../../protocol/sse.js';
import type {ServerMetrics} from '../metrics.js';
import type {StreamParams} from '../params.js';
import type {RunCache} from '../run-cache.js';
import type {LogStore} from '../store/log-store.js';
import type {FeedEvent} from '../store/types.js';
import type {ServedStream} from '../served-stream.js';
import {cutMessage} from './cut-message.js';
import {followStart} from './follow-start.js';
import {selectFeed} from './feed-selection.js';
import {FrameQueue, type QueueLimits} from './frame-queue.js';
import {joinHeartbeat} from './heartbeats.js';
import {LiveBacklog} from './live-backlog.js';
import {logFrame, type Frame} from './log-frames.js';
import type {CutReason, QueueBudget} from './queue-budget.js';
import {RecordSender, type SendState} from './record-sender.js';
import {replayStart, type ReplayStart} from './replay-start.js';
import type {RunFollower} from './run-follower.js';
import type {SessionRuns} from './session-runs.js';

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

/** A replay page holds at most this much text (and one record, however large): pages are sized in bytes too. */
const PAGE_BYTES = 1024 * 1024;

/**
 * One SSE client. Subscribes to the store's committed feed first, replays history from the store in pages (only when its
 * queue has room), then sends live records, dropping any whose id was already sent: no gap and no
 * duplicate at the seam, even while ingest runs. Follows the entity's newest run unless pinned.
 */
export class SseSession {
	readonly #queue: FrameQueue;
	readonly #backlog = new LiveBacklog();
	#sessionRuns!: SessionRuns;
	#runs!: RunFollower;
	#sender!: RecordSender;
	readonly #state: SendState = {closed: false, ending: false};
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
		this.#queue = new FrameQueue(res, ctx.limits, ctx.metrics, ctx.budget, (reason) => this.#cutSlowConsumer(reason), () => this.#backlog.load());
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
		const {sessionRuns, runs} = await followStart(this.#ctx, this.#target, this.#params);
		this.#sessionRuns = sessionRuns;
		this.#runs = runs;
		this.#sender = new RecordSender(this.#queue, runs, this.#shape, this.#state, (event) => this.#sendStatus(event), () => void this.#endAfterFlush());
		return replayStart(this.#ctx.store, this.#target, this.#params);
	}

	get streamName(): string {
		return this.#target.name;
	}

	get isClosed(): boolean {
		return this.#state.closed;
	}

	async start(): Promise<void> {
		const start = await this.#prepare();
		if (this.#state.closed) {
			return;
		}

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
		if (this.#state.closed || this.#state.ending) {
			return;
		}

		this.#afterReplay();
		this.#leaveHeartbeat = joinHeartbeat(this.#params.heartbeatMs, this);
	}

	/** Server draining: tell the client, flush, end. Resolves when the connection is closed. */
	async shutdown(): Promise<void> {
		if (!this.#state.closed && !this.#state.ending) {
			this.#sendStatus({type: 'status', status: 'shutdown'});
			void this.#endAfterFlush();
		}

		return this.#closedPromise;
	}

	destroy(): void {
		this.#res.destroy();
	}

	async #replay(start: ReplayStart): Promise<void> {
		if (start.truncated) {
			this.#sendStatus(start.truncated);
		}

		this.#sender.lastSent = start.after;
		if (start.scope) {
			for (;;) {
				const query = {after: this.#sender.lastSent, level: this.#params.level, fromTime: start.fromTime, limit: PAGE, maxBytes: PAGE_BYTES};
				const {records: page, cut} = await this.#ctx.store.history(start.scope, query);
				if (this.#state.closed || this.#state.ending) {
					return;
				}

				// A page that moves on to another run: the run left must be known as the store has it now.
				if (page.some((record) => record.runId !== this.#runs.runId)) {
					await this.#sessionRuns.readFromStore([this.#runs.runId, ...page.map((record) => record.runId)]);
					if (this.#state.closed || this.#state.ending) {
						return;
					}
				}

				for (const record of page) {
					this.#target.noteRecord(record);
					this.#sender.sendRecord(record, logFrame);
				}

				// Every id of the page is handled, sent or not (follow=false skips newer runs): the next page and
				// the live backlog start after it.
				if (page.length > 0) {
					this.#sender.lastSent = Math.max(this.#sender.lastSent, Number(page.at(-1)!.id));
				}

				if ((page.length < PAGE && !cut) || this.#state.closed || this.#state.ending) {
					break;
				}

				await this.#queue.room();
				if (this.#state.closed || this.#state.ending) {
					return;
				}
			}
		}

		// settle() after the replay completes the run it is on, and may move on from it: as the store has it.
		await this.#sessionRuns.readFromStore([this.#runs.runId]);
	}

	#afterReplay(): void {
		const pending = this.#backlog.take();
		this.#sender.apply(this.#runs.settle(this.#target.currentRun));
		for (const event of pending) {
			this.#sender.deliver(event);
		}
	}

	#onFeed(event: FeedEvent): void {
		if (this.#state.closed || this.#state.ending) {
			return;
		}

		// Each record is tested here once: other entities' lines and lines under the level floor are nothing to
		// this client; they neither wait for it during replay nor count against its limit, however busy another run is.
		const mine = selectFeed(event, this.#target, this.#params.level, this.#shape);
		if (!mine) {
			return;
		}

		// New data for it while it still holds more than the limit unread: it is not keeping up.
		if (this.#queue.overLimit()) {
			this.#queue.cutOff('queue');
			return;
		}

		if (this.#backlog.open) {
			this.#backlog.add(mine);
			return;
		}

		this.#sender.deliver(mine, event.type === 'logs' ? event.records : undefined);
	}

	#sendStatus(event: StatusEvent): void {
		if (!this.#state.closed && !this.#state.ending) {
			this.#queue.push(sseEvent(event));
		}
	}

	/** A heartbeat's comment, one frame for every session of its interval. */
	beat(frame: Frame): void {
		// Data waiting to go out already says the connection lives; a comment behind it adds nothing.
		if (this.#queue.idle && !this.#state.closed && !this.#state.ending) {
			this.#queue.pushFrame(frame, 0);
		}
	}

	async #endAfterFlush(): Promise<void> {
		this.#state.ending = true;
		await this.#queue.drained();
		if (!this.#state.closed) {
			this.#res.end();
		}
	}

	#cutSlowConsumer(reason: CutReason): void {
		if (this.#state.closed) {
			return;
		}

		if (this.#state.ending) {
			// Already ending (follow=false, shutdown) and flushing to a client that takes nothing: free it now.
			this.#res.destroy();
			return;
		}

		this.#state.ending = true;
		this.#done();
		this.#unsubscribe?.();
		const rest = this.#queue.clear();
		this.#backlog.drop();
		// Straight to the socket: the client reads it after what is already buffered, then resumes from its last id.
		const error: WireEvent = {type: 'error', error: {code: 'slow-consumer', message: cutMessage(reason, this.#ctx.limits, this.#ctx.budget.maxBytes, this.#ctx.writeTimeoutMs), recoverable: true}};
		this.#res.end(rest + sseEvent(error));
		// A client that took nothing for the write timeout will not read this either; one that reads nothing
		// never lets end() finish: free the socket.
		if (reason === 'write-timeout') {
			this.#res.destroy();
		} else {
			setTimeout(() => this.#res.destroy(), this.#ctx.writeTimeoutMs).unref();
		}
	}

	#done(): void {
		const onDone = this.#onDone;
		this.#onDone = () => {};
		onDone();
	}

	#cleanup(): void {
		if (this.#state.closed) {
			return;
		}

		this.#state.closed = true;
		this.#done();
		this.#unsubscribe?.();
		this.#leaveHeartbeat?.();
		this.#queue.clear();
		this.#backlog.drop();
	}
}
