import {formatDuration} from '../protocol/time.js';
import {Backoff} from './backoff.js';
import type {Outcome} from './connection-outcome.js';
import type {ConnectionState} from './types.js';

export type PacerOptions = {minDelayMs?: number; maxDelayMs?: number; waitDelayMs?: number; giveUpAfterMs?: number};

/** After an attempt: the stream is over (`final`), or the state to show, if any, and the pause before the next attempt. */
export type Plan =
	| {final: Extract<ConnectionState, {kind: 'failed' | 'ended'}>}
	| {state?: Extract<ConnectionState, {kind: 'waiting' | 'reconnecting'}>; delayMs: number};

/** Between asks for a source that does not exist yet: slow enough to cost a server nothing, quick enough for a job about to start. */
const WAIT_DELAY_MS = 3000;

/**
 * When a LogStream tries again: after a failure, the backoff (backoff.ts); while its source does not
 * exist yet, a steady slow ask; on reconnectNow(), at once. And when it stops: `giveUpAfterMs` without
 * reaching the server, counted from the start or from the last answer (a stream, or a 404 for a source
 * not there yet). One sleep at a time, which wake() cuts short.
 */
export class RetryPacer {
	readonly backoff: Backoff;
	readonly waitDelayMs: number;
	readonly #giveUpAfterMs: number | undefined;
	#reachedAt = Date.now();
	#wake: (() => void) | undefined;

	constructor(options: PacerOptions = {}) {
		this.backoff = new Backoff({minMs: options.minDelayMs, maxMs: options.maxDelayMs});
		this.waitDelayMs = options.waitDelayMs ?? WAIT_DELAY_MS;
		this.#giveUpAfterMs = options.giveUpAfterMs;
	}

	/**
	 * What follows an attempt that ended with `outcome`. `connection` says whether it opened (when) and
	 * delivered new records; `source` names the stream in a waiting state.
	 */
	plan(outcome: Outcome, connection: {openedAt?: number; delivered: boolean}, source: string, now = Date.now()): Plan {
		if (outcome.next === 'fatal' || outcome.next === 'end') {
			return {final: {kind: outcome.next === 'fatal' ? 'failed' : 'ended', reason: outcome.error}};
		}

		this.backoff.connectionEnded(connection, now);
		if (connection.openedAt !== undefined || outcome.next === 'wait') {
			this.reached(now);
		}

		if (outcome.next === 'now') {
			return {delayMs: 0};
		}

		if (outcome.next === 'wait') {
			const delayMs = this.waitDelayMs;
			return {state: {kind: 'waiting', source, retryAt: now + delayMs, reason: outcome.error}, delayMs};
		}

		const delayMs = this.afterFailure(outcome.retryAfterMs, now);
		if (delayMs === undefined) {
			return {final: {kind: 'failed', reason: `no connection for ${formatDuration(this.downFor(now))}, giving up (${outcome.error})`}};
		}

		return {state: {kind: 'reconnecting', attempt: this.backoff.attempt, retryAt: now + delayMs, lastError: outcome.error}, delayMs};
	}

	/** The server answered, or the stream starts: the time without reaching it counts from here. */
	reached(now = Date.now()): void {
		this.#reachedAt = now;
	}

	/**
	 * How long an attempt under way may still take before it is time to give up (undefined: never). An
	 * attempt held by a silent listener is cut at this deadline, not left to run past it: the time allowed
	 * is a promise about the whole, whatever one try costs.
	 */
	timeLeft(now = Date.now()): number | undefined {
		return this.#giveUpAfterMs === undefined ? undefined : this.#reachedAt + this.#giveUpAfterMs - now;
	}

	/** How long the server has been out of reach. */
	downFor(now = Date.now()): number {
		return now - this.#reachedAt;
	}

	/**
	 * The delay before the next attempt after a failure, or undefined when it is time to give up: the time
	 * allowed without reaching the server is over, or the server asks for a wait (`retry:`, Retry-After)
	 * that outlasts it. The last attempt is made at the deadline, not a backoff past it.
	 */
	afterFailure(retryAfterMs = 0, now = Date.now()): number | undefined {
		const delay = this.backoff.next(retryAfterMs);
		if (this.#giveUpAfterMs === undefined) {
			return delay;
		}

		const left = this.#reachedAt + this.#giveUpAfterMs - now;
		if (left <= 0 || Math.max(retryAfterMs, this.backoff.serverRetryMs) > left) {
			return undefined;
		}

		return Math.min(delay, left);
	}

	async sleep(ms: number): Promise<void> {
		await new Promise<void>((resolve) => {
			const timer = setTimeout(resolve, ms);
			this.#wake = () => {
				clearTimeout(timer);
				resolve();
			};
		});
		this.#wake = undefined;
	}

	/** Ends the current sleep now; false when there was none. */
	wake(): boolean {
		const wake = this.#wake;
		this.#wake = undefined;
		wake?.();
		return wake !== undefined;
	}
}
