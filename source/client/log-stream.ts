import {EventEmitter} from 'node:events';
import type {LogRecord} from '../protocol/record.js';
import {formatStreamName} from '../protocol/streams.js';
import {formatDuration} from '../protocol/time.js';
import {outcomeOfFailure, type Outcome} from './connection-outcome.js';
import {rawText, text} from './dialects/fields.js';
import {decoders, detectDialect, type Decoded, type MessageText} from './dialects/index.js';
import {fetchRange} from './history.js';
import {PauseGate} from './pause-gate.js';
import {RecordSequencer, type Gap} from './record-sequencer.js';
import {RetryPacer} from './retry-pacer.js';
import {SourceWait} from './source-wait.js';
import {StatusHandler, type StatusContext} from './status-handler.js';
import {ResumeHeader} from './ids.js';
import {describeError, HttpError, readSse} from './sse-connection.js';
import {resolveStreamTarget, type StreamTarget} from './stream-target.js';
import {StreamCounters} from './stream-counters.js';
import {TokenSource} from './token-source.js';
import type {ConnectionState, Dialect, LogStreamEvents, LogStreamOptions, StreamNotice, StreamStats} from './types.js';
import {Watchdog} from './watchdog.js';
import {isWsUrl, readWs} from './ws-connection.js';
import {historyFor, wsDialectFromUrl} from './ws-history.js';
import {WsResume} from './ws-resume.js';

const DEFAULT_HEARTBEAT_SECONDS = 15;

/**
 * The least time an attempt is given before the give-up deadline cuts it: the last attempt is made at the
 * deadline, and a refusal or an answer on it (what the user is told) takes milliseconds.
 */
const LAST_TRY_MS = 1000;

/**
 * One source as an ordered, deduplicated, gap-free sequence of normalized records, plus a connection
 * state a UI can show. It owns the reconnect policy (sse-parser.ts only parses): backoff with full
 * jitter and a give-up time (retry-pacer.ts), attempt timeouts, Last-Event-ID resume, a watchdog on
 * silence, token refresh on 401, history backfill on seq gaps, and waiting for a source that does not
 * exist yet (source-wait.ts).
 */
export class LogStream extends EventEmitter<LogStreamEvents> {
	#state: ConnectionState = {kind: 'connecting', attempt: 1};
	readonly #counts = new StreamCounters();
	readonly #options: LogStreamOptions;
	readonly #tokens: TokenSource;
	readonly #pacer: RetryPacer;
	readonly #watchdog: Watchdog;
	readonly #messageText: MessageText;
	#target: StreamTarget | undefined;
	#targetError: string | undefined;
	#sourceWait: SourceWait | undefined;
	#sequencer: RecordSequencer | undefined;
	#controller: AbortController | undefined;
	/** Where the attempt under way goes (`host:port`), and whether any byte came back on it. */
	#peer = '';
	#answered = false;
	/** The slow answer of a URL source was said since it last opened: said once, not at every try. */
	#saidSlowAnswer = false;
	/** Timers of the attempt under way (give-up deadline, slow-answer notice), cleared with it. */
	#attemptTimers: NodeJS.Timeout[] = [];
	#generation = 0;
	/** While a chunk's events are handled: when it came, the time of each of its records. */
	#chunkAt: number | undefined;
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
	readonly #resumeHeader = new ResumeHeader(() => {
		this.#notice('resume-id', 'the server\'s event id holds a control character no HTTP header can carry: reconnecting without Last-Event-ID');
	});
	readonly #gate = new PauseGate();
	/** A ws:// or wss:// source: resumed by timestamp and content, as its servers send no ids (ws-resume.ts). */
	#ws: WsResume | undefined;

	constructor(options: LogStreamOptions) {
		super();
		this.#options = options;
		this.#tokens = new TokenSource(options.token, options.tokenCommand);
		this.#pacer = new RetryPacer({...options.reconnect, giveUpAfterMs: options.giveUpAfterMs});
		this.#messageText = options.rawMessages ? rawText : text;
		// The deadline is set from the target below (and from what the server announces): this is for a bad source.
		this.#watchdog = new Watchdog(
			(options.heartbeatSeconds ?? DEFAULT_HEARTBEAT_SECONDS) * 2500,
			(idle) => {
				this.#end({error: this.#silence(idle), next: 'backoff'});
			},
			// A ws:// source's socket is held for its backfill too (ws-resume.ts, HOLD_CHARS).
			() => this.#gate.paused || this.#ws?.holding === true,
		);
		try {
			const target = resolveStreamTarget(options);
			this.#target = target;
			this.#watchdog.deadMs = target.heartbeatMs * 2.5;
			this.#sourceWait = new SourceWait(target, options.waitForSource ?? options.follow ?? false);
			this.#ws = this.#wsResume(target);
		} catch (error) {
			this.#targetError = (error as Error).message;
		}
	}

	get state(): ConnectionState {
		return this.#state;
	}

	get stats(): StreamStats {
		return this.#counts.snapshot();
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
		this.#pacer.wake();
		this.#gate.resume();
	}

	/**
	 * Connects again at once: cuts a backoff or the wait for a source to appear, abandons an attempt under
	 * way, and ends a live connection to resume it (Last-Event-ID: nothing is lost or shown twice). False
	 * when there is nothing to reconnect: not started, or in a final state.
	 */
	reconnectNow(): boolean {
		if (!this.#started || this.#done) {
			return false;
		}

		if (!this.#pacer.wake()) {
			this.#end({error: 'reconnecting, as asked', next: 'now'});
		}

		return true;
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

		const source = target.ref ? formatStreamName(target.ref) : '';
		this.#pacer.reached();
		while (!this.#done) {
			this.#setState({kind: 'connecting', attempt: this.#pacer.backoff.attempt + 1});
			const openedAt: {at?: number} = {};
			const deliveredBefore = this.#counts.records;
			const outcome = await this.#connect(target, openedAt);
			if (this.#done) {
				return;
			}

			const plan = this.#pacer.plan(outcome, {openedAt: openedAt.at, delivered: this.#counts.records > deliveredBefore}, source);
			if ('final' in plan) {
				this.#finish(plan.final);
				return;
			}

			if (!this.#ws && !this.#sequencer!.gate.carriesIds && this.#counts.records > 0 && !this.#warnedNoIds) {
				this.#warnedNoIds = true;
				this.#notice('lines-missing', 'this stream sends no event ids: lines sent while disconnected cannot be recovered');
			}

			// A source that was not there yet: once it appears, all of it is new, whatever --tail or --since said.
			this.#reload ||= outcome.next === 'wait';
			if (plan.state) {
				this.#setState(plan.state);
			}

			if (plan.delayMs > 0) {
				await this.#pacer.sleep(plan.delayMs);
			}
		}
	}

	async #connect(target: StreamTarget, openedAt: {at?: number}): Promise<Outcome> {
		const controller = new AbortController();
		this.#controller = controller;
		this.#ending = undefined;
		const generation = ++this.#generation;
		const lastId = this.#sequencer!.gate.lastId;
		const headers = {...this.#tokens.headers(), ...this.#resumeHeader.for(lastId)};
		const base = target.url(this.#reload, lastId === undefined ? undefined : this.#statuses!.followedRun);
		const url = this.#ws ? this.#ws.url(base) : base;
		this.#wholeRun = lastId === undefined && (this.#reload || (this.#options.tail === undefined && !this.#options.since));
		this.#peer = url.host;
		this.#answered = false;
		this.#watchdog.start();
		this.#timeAttempt(target, openedAt);
		const onOpen = () => {
			this.#counts.opened();
			openedAt.at = Date.now();
			this.#saidSlowAnswer = false;
			this.#refreshed = false;
			this.#setState({kind: 'live', since: openedAt.at});
		};

		const onBytes = () => {
			const now = Date.now();
			this.#chunkAt = now;
			this.#answered = true;
			this.#watchdog.alive(now);
			this.#counts.bytes(now);
		};

		try {
			if (this.#ws) {
				const ws = this.#ws;
				// No Last-Event-ID: these servers send no ids; the token goes on the upgrade request.
				await readWs(url, this.#tokens.headers(), controller.signal, {
					onOpen: () => {
						onOpen();
						ws.opened(generation);
					},
					onBytes: () => {
						onBytes();
						// Frames are not read in chunks here: each record reads the clock.
						this.#chunkAt = undefined;
					},
					onMessage: (message) => {
						if (generation === this.#generation && !this.#done && !this.#ending) {
							ws.frame(generation, message);
						}
					},
					onNotice: (kind, message) => {
						this.#notice(kind, message);
					},
					whenReady: () => this.#gate.wait ?? ws.wait,
				}, {timeouts: target.timeouts, pingMs: this.#watchdog.deadMs / 3});
				return this.#ending ?? {error: 'the server closed the stream', next: 'backoff'};
			}

			await readSse(url, headers, controller.signal, {
				onOpen,
				onBytes,
				onChunkRead: () => {
					this.#chunkAt = undefined;
				},
				onMessage: (message) => {
					// Once this connection is being ended, the rest of its chunk is left to the resume.
					if (generation === this.#generation && !this.#done && !this.#ending) {
						this.#sequencer!.push(generation, message, this.#chunkAt);
					}
				},
				onIdOnly: (id) => {
					if (generation === this.#generation && !this.#done && !this.#ending) {
						this.#sequencer!.pushIdOnly(generation, id);
					}
				},
				onRetry: (ms) => {
					this.#pacer.backoff.setServerRetry(ms);
				},
				whenReady: () => this.#gate.wait,
			}, target.timeouts);
			return this.#ending ?? {error: 'the server closed the stream', next: 'backoff'};
		} catch (error) {
			if (this.#ending) {
				return this.#ending;
			}

			const alreadyRefreshed = this.#refreshed;
			if (error instanceof HttpError) {
				this.#refreshed = error.status === 401;
			}

			return outcomeOfFailure(error, {tokens: this.#tokens, sourceWait: this.#sourceWait!, alreadyRefreshed, onRefreshed: () => {
				this.#notice('token-refreshed', 'token refreshed with --token-command');
			}});
		} finally {
			this.#stopConnection();
			this.#ws?.closed();
		}
	}

	/** For a ws:// or wss:// source: how it resumes (the transport is picked by the URL's scheme). */
	#wsResume(target: StreamTarget): WsResume | undefined {
		const url = target.url(false);
		if (!isWsUrl(url)) {
			return undefined;
		}

		target.dialect ??= wsDialectFromUrl(url);
		const param = this.#options.resumeParam ?? 'since';
		const resumeParam = param === 'none' ? undefined : param;
		return new WsResume(historyFor(url, target.dialect, resumeParam), resumeParam, {
			push: (generation, message) => {
				if (generation === this.#generation && !this.#done && !this.#ending) {
					this.#sequencer!.push(generation, message);
				}
			},
			generation: () => this.#generation,
			headers: () => this.#tokens.headers(),
			decode: (message) => {
				// As the sequencer reads it: the stream's dialect (or what the frame looks like), else the generic reading.
				const dialect = target.dialect ?? detectDialect(message) ?? 'generic';
				const decoded = decoders[dialect](message, Date.now(), this.#messageText);
				const record = decoded.kind === 'unreadable' ? decoders.generic(message, Date.now(), this.#messageText) : decoded;
				return record.kind === 'record' ? record.record : undefined;
			},
			notice: (kind, message) => {
				this.#notice(kind, message);
			},
		});
	}

	/** Why a connection is ended for its silence: nothing came back at all, or nothing for a while. */
	#silence(idleMs: number): string {
		return this.#answered ? `no data for ${formatDuration(idleMs)}: connection presumed dead` : `no answer from ${this.#peer} within ${formatDuration(idleMs)}`;
	}

	/**
	 * The attempt's own clock: cut when the time allowed without reaching the server runs out before it has
	 * opened (the pacer's deadline is only looked at between attempts, and one try on a silent listener
	 * lasts until the watchdog's deadline), and, on a URL source, say after `slowAnswerMs` that no answer has
	 * come yet.
	 */
	#timeAttempt(target: StreamTarget, openedAt: {at?: number}): void {
		const startedAt = Date.now();
		const left = this.#pacer.timeLeft(startedAt);
		if (left !== undefined) {
			this.#attemptTimers.push(setTimeout(() => {
				if (openedAt.at === undefined) {
					this.#end({error: this.#silence(Date.now() - startedAt), next: 'backoff'});
				}
			}, Math.max(LAST_TRY_MS, left)));
		}

		const {slowAnswerMs} = target;
		// A WebSocket server answers the upgrade at once, and ws-connection.ts times that answer itself.
		if (slowAnswerMs !== undefined && !this.#saidSlowAnswer && !this.#ws) {
			this.#attemptTimers.push(setTimeout(() => {
				if (!this.#answered && !this.#saidSlowAnswer) {
					this.#saidSlowAnswer = true;
					const waits = formatDuration(this.#watchdog.deadMs);
					this.#notice('slow-answer', `no answer from ${this.#peer} yet (${formatDuration(slowAnswerMs)}): waiting up to ${waits} a try, as some servers answer only with their first event`);
				}
			}, slowAnswerMs));
		}
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

				if (this.#ws && !this.#ws.accept(record)) {
					this.#counts.duplicatesDropped++;
					return;
				}

				this.#counts.record(this.#chunkAt);
				this.emit('record', record);
			},
			duplicate: () => {
				this.#counts.duplicatesDropped++;
			},
			event: (decoded: Exclude<Decoded, {kind: 'record'}>) => {
				if (decoded.kind === 'status') {
					this.#statuses!.handle(decoded.status);
				} else if (decoded.kind === 'error') {
					this.#statuses!.handleError(decoded.error);
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
		for (const timer of this.#attemptTimers) {
			clearTimeout(timer);
		}

		this.#attemptTimers = [];
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
