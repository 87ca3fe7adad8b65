import {EventEmitter} from 'node:events';
import type {StatusEvent} from '../protocol/events.js';
import type {LogRecord} from '../protocol/record.js';
import {formatDuration} from '../protocol/time.js';
import {Backoff} from './backoff.js';
import type {Decoded} from './dialects/index.js';
import {fetchRange} from './history.js';
import {RateMeter} from './rate.js';
import {RecordSequencer, type Gap} from './record-sequencer.js';
import {describeError, HttpError, readSse} from './sse-connection.js';
import {resolveTarget, type StreamTarget} from './stream-target.js';
import {TokenSource} from './token-source.js';
import type {ConnectionState, Dialect, LogStreamEvents, LogStreamOptions, StreamNotice, StreamStats} from './types.js';
import {Watchdog} from './watchdog.js';

/** How one connection ended, and what to do next. */
type Outcome = {error: string; next: 'backoff' | 'now' | 'fatal'; retryAfterMs?: number};

const DEFAULT_HEARTBEAT_MS = 15_000;

/**
 * One source as an ordered, deduplicated, gap-free sequence of normalized records, plus a connection
 * state a UI can show. It owns the reconnect policy (eventsource-parser only parses): backoff with full
 * jitter, Last-Event-ID resume, a watchdog on silence, token refresh on 401, history backfill on seq gaps.
 */
export class LogStream extends EventEmitter<LogStreamEvents> {
	#state: ConnectionState = {kind: 'connecting', attempt: 1};
	readonly #counts = {reconnects: 0, records: 0, duplicatesDropped: 0, gapsFilled: 0};
	readonly #rate = new RateMeter();
	readonly #options: LogStreamOptions;
	readonly #tokens: TokenSource;
	readonly #backoff: Backoff;
	readonly #watchdog: Watchdog;
	#target: StreamTarget | undefined;
	#targetError: string | undefined;
	#sequencer: RecordSequencer | undefined;
	#controller: AbortController | undefined;
	#generation = 0;
	/** Set by whoever ends a connection on purpose, so the loop knows why. */
	#ending: Outcome | undefined;
	#started = false;
	#done = false;
	#epoch: string | undefined;
	#reload = false;
	/** This connection carries the whole current run from its first line (no resume point, no tail/since). */
	#wholeRun = false;
	#refreshed = false;
	#gapRetried = false;
	#warnedNoIds = false;
	#wake: (() => void) | undefined;
	#resumed: {promise: Promise<void>; resolve: () => void} | undefined;

	constructor(options: LogStreamOptions) {
		super();
		this.#options = options;
		this.#tokens = new TokenSource(options.token, options.tokenCommand);
		this.#backoff = new Backoff({minMs: options.reconnect?.minDelayMs, maxMs: options.reconnect?.maxDelayMs});
		const heartbeat = options.heartbeatSeconds ? options.heartbeatSeconds * 1000 : DEFAULT_HEARTBEAT_MS;
		this.#watchdog = new Watchdog(
			heartbeat * 2.5,
			(idle) => this.#end({error: `no data for ${formatDuration(idle)}: connection presumed dead`, next: 'backoff'}),
			() => this.#resumed !== undefined,
		);
		try {
			this.#target = resolveTarget(options);
		} catch (error) {
			this.#targetError = (error as Error).message;
		}
	}

	get state(): ConnectionState {
		return this.#state;
	}

	get stats(): StreamStats {
		return {...this.#counts, linesPerSecond: this.#rate.perSecond()};
	}

	/** Begins connecting. A bad source or server shows as a `failed` state, not an exception. */
	start(): void {
		if (this.#started) {
			return;
		}

		this.#started = true;
		if (!this.#target) {
			this.#finish({kind: 'failed', reason: this.#targetError ?? 'bad source'});
			return;
		}

		const target = this.#target;
		const ref = target.ref;
		const detectGaps =
			target.server !== undefined && ref !== undefined && ref.kind !== 'task' && ref.kind !== 'artifact' && !this.#options.level;
		this.#sequencer = new RecordSequencer(this.#host(), detectGaps, target.dialect);
		void this.#run(target).catch((error: unknown) => {
			this.#finish({kind: 'failed', reason: describeError(error)});
		});
	}

	/** Stops for good: no more events. */
	close(): void {
		this.#done = true;
		this.#stopConnection();
		this.#wake?.();
		this.#resumed?.resolve();
		this.#resumed = undefined;
	}

	/** Stops reading the socket (the server sees a slow consumer) until resume(); for consumers that fall behind. */
	pause(): void {
		if (!this.#resumed) {
			let resolve!: () => void;
			const promise = new Promise<void>((done) => {
				resolve = done;
			});
			this.#resumed = {promise, resolve};
		}
	}

	resume(): void {
		this.#resumed?.resolve();
		this.#resumed = undefined;
	}

	async #run(target: StreamTarget): Promise<void> {
		if (!this.#tokens.token && this.#tokens.canRefresh) {
			await this.#tokens.refresh().catch((error: unknown) => {
				this.#finish({kind: 'failed', reason: describeError(error)});
			});
		}

		while (!this.#done) {
			this.#setState({kind: 'connecting', attempt: this.#backoff.attempt + 1});
			const openedAt: {at?: number} = {};
			// eslint-disable-next-line no-await-in-loop
			const outcome = await this.#connect(target, openedAt);
			if (this.#done) {
				return;
			}

			if (outcome.next === 'fatal') {
				this.#finish({kind: 'failed', reason: outcome.error});
				return;
			}

			this.#counts.reconnects++;
			this.#backoff.connectionEnded(openedAt.at);
			if (this.#sequencer!.gate.lastId === undefined && this.#counts.records > 0 && !this.#warnedNoIds) {
				this.#warnedNoIds = true;
				this.#notice('lines-missing', 'this stream sends no event ids: lines sent while disconnected cannot be recovered');
			}

			if (outcome.next === 'backoff') {
				const delay = this.#backoff.next(outcome.retryAfterMs);
				this.#setState({kind: 'reconnecting', attempt: this.#backoff.attempt, retryAt: Date.now() + delay, lastError: outcome.error});
				// eslint-disable-next-line no-await-in-loop
				await this.#sleep(delay);
			}
		}
	}

	async #connect(target: StreamTarget, openedAt: {at?: number}): Promise<Outcome> {
		const controller = new AbortController();
		this.#controller = controller;
		this.#ending = undefined;
		const generation = ++this.#generation;
		const lastId = this.#sequencer!.gate.lastId;
		const headers = {...this.#tokens.headers(), ...(lastId === undefined ? {} : {'Last-Event-ID': lastId})};
		const url = target.url(this.#reload);
		this.#wholeRun = lastId === undefined && (this.#reload || (this.#options.tail === undefined && !this.#options.since));
		this.#watchdog.start();
		try {
			await readSse(url, headers, controller.signal, {
				onOpen: () => {
					openedAt.at = Date.now();
					this.#refreshed = false;
					this.#setState({kind: 'live', since: openedAt.at});
				},
				onBytes: () => {
					this.#watchdog.alive();
				},
				onMessage: (message) => {
					if (generation === this.#generation && !this.#done) {
						this.#sequencer!.push(generation, message);
					}
				},
				onRetry: (ms) => {
					this.#backoff.setServerRetry(ms);
				},
				whenReady: () => this.#resumed?.promise,
			});
			return this.#ending ?? {error: 'the server closed the stream', next: 'backoff'};
		} catch (error) {
			if (this.#ending) {
				return this.#ending;
			}

			return error instanceof HttpError ? this.#httpOutcome(error) : {error: describeError(error), next: 'backoff'};
		} finally {
			this.#stopConnection();
		}
	}

	async #httpOutcome(error: HttpError): Promise<Outcome> {
		const {status, message} = error;
		if (status === 429 || status === 408 || status >= 500) {
			return {error: message, next: 'backoff', retryAfterMs: error.retryAfterMs};
		}

		if (status !== 401) {
			return {error: message, next: 'fatal'};
		}

		if (!this.#tokens.canRefresh) {
			const hint = this.#tokens.token ? 'the token was refused' : 'pass --token, set DBTAIL_TOKEN or run "dbtail login"';
			return {error: `${message} (${hint})`, next: 'fatal'};
		}

		if (this.#refreshed) {
			return {error: `${message} (still refused after refreshing the token)`, next: 'fatal'};
		}

		this.#refreshed = true;
		try {
			await this.#tokens.refresh();
		} catch (refreshError) {
			return {error: `${message}; ${describeError(refreshError)}`, next: 'fatal'};
		}

		this.#notice('token-refreshed', 'token refreshed with --token-command');
		return {error: message, next: 'now'};
	}

	#host() {
		return {
			deliver: (record: LogRecord) => {
				if (this.#done) {
					return;
				}

				this.#counts.records++;
				this.#rate.add();
				this.emit('record', record);
			},
			duplicate: () => {
				this.#counts.duplicatesDropped++;
			},
			event: (decoded: Exclude<Decoded, {kind: 'record'}>) => {
				if (decoded.kind === 'status') {
					this.#onStatus(decoded.status);
				} else if (decoded.kind === 'error') {
					const {code, message, recoverable} = decoded.error;
					if (code === 'slow-consumer') {
						this.#notice('slow-consumer', `the server dropped this stream as too slow: resuming (${message})`);
					} else if (!recoverable) {
						this.#end({error: `${code}: ${message}`, next: code === 'unauthorized' || code === 'internal' ? 'backoff' : 'fatal'});
					}
				}
			},
			dialectDetected: (dialect: Dialect) => {
				this.#notice('dialect', `reading the ${dialect} dialect`);
			},
			fill: async (gap: Gap) => {
				const {server, ref} = this.#target!;
				const range = {runId: gap.runId, afterId: gap.afterId, beforeId: gap.beforeId};
				return fetchRange(server!, ref!, range, this.#tokens.headers(), AbortSignal.timeout(30_000));
			},
			filled: (gap: Gap, got: number, error?: unknown) => this.#filled(gap, got, error),
		};
	}

	#filled(gap: Gap, got: number, error: unknown): 'continue' | 'stop' {
		const wanted = gap.toSeq - gap.fromSeq + 1;
		if (error !== undefined && !this.#gapRetried) {
			// Resuming from the last delivered id makes the server send the missing range again.
			this.#gapRetried = true;
			this.#end({error: `could not fill a gap from history: ${describeError(error)}`, next: 'backoff'});
			return 'stop';
		}

		this.#gapRetried = false;
		if (got > 0) {
			this.#counts.gapsFilled++;
			this.#notice('gap-filled', `filled a gap of ${got} line${got === 1 ? '' : 's'} in run ${gap.runId} from history`);
		}

		if (got < wanted) {
			const why = error === undefined ? 'not in history' : describeError(error);
			this.#notice('lines-missing', `${wanted - got} line(s) of run ${gap.runId} (seq ${gap.fromSeq}-${gap.toSeq}) are missing: ${why}`);
		}

		return 'continue';
	}

	#onStatus(status: StatusEvent): void {
		switch (status.status) {
			case 'connected': {
				this.#watchdog.deadMs = status.heartbeatMs * 2.5;
				if (status.runId && this.#wholeRun) {
					this.#sequencer!.gate.runStarted(status.runId);
				}

				const previous = this.#epoch;
				this.#epoch = status.epoch;
				if (previous !== undefined && status.epoch !== previous) {
					// The id space was reset: old resume points mean nothing. Reload the run; (run, seq) keeps
					// lines already shown from showing twice.
					this.#sequencer!.gate.resetIds();
					this.#sequencer!.discardBefore(this.#generation + 1);
					this.#reload = true;
					this.#notice('epoch-reset', 'the server\'s log store was reset: reloading the run, skipping lines already shown');
					this.#end({error: 'log store reset', next: 'now'});
				}

				break;
			}

			case 'run-started': {
				this.#sequencer!.gate.runStarted(status.runId);
				this.#notice('run-started', `run ${status.runId} started`);
				this.#emit('run', {runId: status.runId, status: 'running'});
				break;
			}

			case 'completed': {
				this.#emit('run', {runId: status.runId, status: status.result, durationMs: status.durationMs});
				if (this.#target!.endsOnCompletion) {
					this.#finish({kind: 'completed', result: status.result, durationMs: status.durationMs, runId: status.runId});
				}

				break;
			}

			case 'truncated': {
				this.#sequencer!.gate.forgetRuns();
				const what = status.purged === undefined ? 'some lines' : `${status.purged} line(s)`;
				this.#notice('truncated', `${what} before id ${status.oldestId} were purged from history and cannot be shown`);
				break;
			}

			case 'shutdown': {
				this.#end({error: 'the server is shutting down', next: 'backoff'});
				break;
			}
		}
	}

	/** Ends the current connection on purpose; the loop then does what `outcome` says. */
	#end(outcome: Outcome): void {
		this.#ending ??= outcome;
		this.#stopConnection();
	}

	#stopConnection(): void {
		this.#watchdog.stop();
		this.#controller?.abort();
		this.#controller = undefined;
	}

	#finish(state: Extract<ConnectionState, {kind: 'completed' | 'failed'}>): void {
		if (this.#done) {
			return;
		}

		this.#setState(state);
		this.close();
	}

	async #sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			this.#wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
		this.#wake = undefined;
	}

	#setState(state: ConnectionState): void {
		if (!this.#done) {
			this.#state = state;
			this.emit('state', state);
		}
	}

	#notice(kind: StreamNotice['kind'], message: string): void {
		this.#emit('notice', {kind, message});
	}

	#emit<K extends 'run' | 'notice'>(event: K, ...args: LogStreamEvents[K]): void {
		if (!this.#done) {
			this.emit(event, ...(args as any));
		}
	}
}
