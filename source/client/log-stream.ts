import {EventEmitter} from 'node:events';
import type {LogRecord} from '../protocol/record.js';
import {formatDuration} from '../protocol/time.js';
import {Backoff} from './backoff.js';
import {outcomeOfHttpError, type Outcome} from './connection-outcome.js';
import {rawText, text} from './dialects/fields.js';
import type {Decoded, MessageText} from './dialects/index.js';
import {fetchRange} from './history.js';
import {PauseGate} from './pause-gate.js';
import {RateMeter} from './rate.js';
import {RecordSequencer, type Gap} from './record-sequencer.js';
import {StatusHandler, type StatusContext} from './status-handler.js';
import {lastEventIdHeader} from './ids.js';
import {describeError, HttpError, isLocalFault, readSse} from './sse-connection.js';
import {resolveStreamTarget, type StreamTarget} from './stream-target.js';
import {TokenSource} from './token-source.js';
import type {ConnectionState, Dialect, LogStreamEvents, LogStreamOptions, StreamNotice, StreamStats} from './types.js';
import {Watchdog} from './watchdog.js';

const DEFAULT_HEARTBEAT_SECONDS = 15;

/**
 * One source as an ordered, deduplicated, gap-free sequence of normalized records, plus a connection
 * state a UI can show. It owns the reconnect policy (sse-parser.ts only parses): backoff with full
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
	readonly #messageText: MessageText;
	#target: StreamTarget | undefined;
	#targetError: string | undefined;
	#sequencer: RecordSequencer | undefined;
	#controller: AbortController | undefined;
	#generation = 0;
	/** Set by whoever ends a connection on purpose, so the loop knows why. */
	#ending: Outcome | undefined;
	#started = false;
	#done = false;
	#statuses: StatusHandler | undefined;
	#reload = false;
	/** This connection carries the whole current run from its first line (no resume point, no tail/since). */
	#wholeRun = false;
	#refreshed = false;
	#warnedNoIds = false;
	#warnedIdHeader = false;
	#opened = false;
	#wake: (() => void) | undefined;
	readonly #gate = new PauseGate();

	constructor(options: LogStreamOptions) {
		super();
		this.#options = options;
		this.#tokens = new TokenSource(options.token, options.tokenCommand);
		this.#backoff = new Backoff({minMs: options.reconnect?.minDelayMs, maxMs: options.reconnect?.maxDelayMs});
		this.#messageText = options.rawMessages ? rawText : text;
		// The deadline is set from the target below (and from what the server announces): this is for a bad source.
		this.#watchdog = new Watchdog(
			(options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 2500,
			(idle) => this.#end({error: `no data for ${formatDuration(idle)}: connection presumed dead`, next: 'backoff'}),
			() => this.#gate.paused,
		);
		try {
			this.#target = resolveStreamTarget(options);
			this.#watchdog.deadMs = this.#target.heartbeatMs * 2.5;
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
		this.#sequencer = new RecordSequencer(this.#host(), detectGaps, target.dialect, this.#messageText);
		this.#statuses = new StatusHandler(this.#statusContext(target));
		void this.#run(target).catch((error: unknown) => {
			this.#finish({kind: 'failed', reason: describeError(error)});
		});
	}

	/** Stops for good: no more events. */
	close(): void {
		this.#done = true;
		this.#stopConnection();
		this.#wake?.();
		this.#gate.resume();
	}

	/** Stops reading the socket (the server sees a slow consumer) until resume(); for consumers that fall behind. */
	pause(): void {
		this.#gate.pause();
	}

	resume(): void {
		this.#gate.resume();
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
			const deliveredBefore = this.#counts.records;
			const outcome = await this.#connect(target, openedAt);
			if (this.#done) {
				return;
			}

			if (outcome.next === 'fatal') {
				this.#finish({kind: 'failed', reason: outcome.error});
				return;
			}

			if (outcome.next === 'end') {
				this.#finish({kind: 'ended', reason: outcome.error});
				return;
			}

			this.#backoff.connectionEnded({openedAt: openedAt.at, delivered: this.#counts.records > deliveredBefore});
			if (!this.#sequencer!.gate.carriesIds && this.#counts.records > 0 && !this.#warnedNoIds) {
				this.#warnedNoIds = true;
				this.#notice('lines-missing', 'this stream sends no event ids: lines sent while disconnected cannot be recovered');
			}

			if (outcome.next === 'backoff') {
				const delay = this.#backoff.next(outcome.retryAfterMs);
				this.#setState({kind: 'reconnecting', attempt: this.#backoff.attempt, retryAt: Date.now() + delay, lastError: outcome.error});
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
		const headers = {...this.#tokens.headers(), ...this.#resumeHeader(lastId)};
		const url = target.url(this.#reload, lastId === undefined ? undefined : this.#statuses!.followedRun);
		this.#wholeRun = lastId === undefined && (this.#reload || (this.#options.tail === undefined && !this.#options.since));
		this.#watchdog.start();
		try {
			await readSse(url, headers, controller.signal, {
				onOpen: () => {
					// A reconnect is a connection made again, not an attempt: five refused attempts are 0.
					if (this.#opened) {
						this.#counts.reconnects++;
					}

					this.#opened = true;
					openedAt.at = Date.now();
					this.#refreshed = false;
					this.#setState({kind: 'live', since: openedAt.at});
				},
				onBytes: () => {
					this.#watchdog.alive();
				},
				onMessage: (message) => {
					// Once this connection is being ended, the rest of its chunk is left to the resume.
					if (generation === this.#generation && !this.#done && !this.#ending) {
						this.#sequencer!.push(generation, message);
					}
				},
				onIdOnly: (id) => {
					if (generation === this.#generation && !this.#done && !this.#ending) {
						this.#sequencer!.pushIdOnly(generation, id);
					}
				},
				onRetry: (ms) => {
					this.#backoff.setServerRetry(ms);
				},
				whenReady: () => this.#gate.wait,
			});
			return this.#ending ?? {error: 'the server closed the stream', next: 'backoff'};
		} catch (error) {
			if (this.#ending) {
				return this.#ending;
			}

			if (!(error instanceof HttpError)) {
				// A request node refuses to send (a bad header, a bad URL) would be refused the same way forever.
				return {error: describeError(error), next: isLocalFault(error) ? 'fatal' : 'backoff'};
			}

			const refreshed = this.#refreshed;
			this.#refreshed = error.status === 401;
			return outcomeOfHttpError(error, this.#tokens, refreshed, () => {
				this.#notice('token-refreshed', 'token refreshed with --token-command');
			});
		} finally {
			this.#stopConnection();
		}
	}

	/** Last-Event-ID for the resume point; an id no header can carry is said once and left out (dedupe still holds). */
	#resumeHeader(lastId: string | undefined): Record<string, string> {
		if (lastId === undefined) {
			return {};
		}

		const header = lastEventIdHeader(lastId);
		if (header === undefined && !this.#warnedIdHeader) {
			this.#warnedIdHeader = true;
			this.#notice('resume-id', 'the server\'s event id holds a control character no HTTP header can carry: reconnecting without Last-Event-ID');
		}

		return header === undefined ? {} : {'Last-Event-ID': header};
	}

	#statusContext(target: StreamTarget): StatusContext {
		return {
			gate: this.#sequencer!.gate,
			wholeRun: () => this.#wholeRun,
			endsOnCompletion: target.endsOnCompletion,
			setHeartbeat: (ms) => {
				this.#watchdog.deadMs = ms * 2.5;
			},
			reloadRun: () => {
				this.#sequencer!.gate.reset();
				this.#sequencer!.discardBefore(this.#generation + 1);
				this.#reload = true;
			},
			notice: (kind, message) => {
				this.#notice(kind, message);
			},
			run: (info) => {
				this.#emit('run', info);
			},
			complete: (state) => {
				this.#finish(state);
			},
			end: (outcome) => {
				this.#end(outcome);
			},
		};
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
					this.#statuses!.handle(decoded.status);
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
				return fetchRange(server!, ref!, range, this.#tokens.headers(), AbortSignal.timeout(30_000), this.#messageText);
			},
			gapFilled: () => {
				this.#counts.gapsFilled++;
			},
			notice: (kind: StreamNotice['kind'], message: string) => {
				this.#notice(kind, message);
			},
			reconnect: (reason: string) => {
				this.#end({error: reason, next: 'backoff'});
			},
		};
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

	#finish(state: Extract<ConnectionState, {kind: 'completed' | 'failed' | 'ended'}>): void {
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
			(this.emit as (event: K, ...rest: LogStreamEvents[K]) => boolean)(event, ...args);
		}
	}
}
