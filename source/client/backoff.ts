/**
 * Reconnect delays: exponential with full jitter between `minMs` and a ceiling that doubles per attempt up
 * to `maxMs`, never faster than the server's `retry:` or a 429's `Retry-After`. Escalation is for failures:
 * a connection that delivered new lines (a proxy or a serverless host may end every response after a few
 * seconds) or stayed up for `healthyMs` starts the sequence over, and the next attempt waits only the
 * server's `retry:` (else `minMs`), as a browser's EventSource does.
 */
export type BackoffOptions = {minMs?: number; maxMs?: number; healthyMs?: number; random?: () => number};

/**
 * The viewer's reconnect delays (LogStreamOptions.reconnect). A person looking at a pane wants it back as
 * soon as the server is: capped at 2.5 s, a pane is live within about 3 s of the server answering again
 * (the reference server's `retry: 2000` is the floor). Scripts (`dbtail follow`) keep the 30 s cap, which
 * spares a server that many unattended followers are waiting on.
 */
export const INTERACTIVE_RECONNECT = {minDelayMs: 500, maxDelayMs: 2500} as const;

export class Backoff {
	readonly minMs: number;
	readonly maxMs: number;
	readonly healthyMs: number;
	#attempt = 0;
	#serverRetryMs = 0;
	/** The last connection worked: the next delay is the server's retry, with no escalation. */
	#worked = false;
	readonly #random: () => number;

	constructor(options: BackoffOptions = {}) {
		this.minMs = options.minMs ?? 500;
		this.maxMs = Math.max(this.minMs, options.maxMs ?? 30_000);
		this.healthyMs = options.healthyMs ?? 30_000;
		this.#random = options.random ?? Math.random;
	}

	/** Failed attempts since the last healthy connection. */
	get attempt(): number {
		return this.#attempt;
	}

	/** The server's `retry:` (0 before it said one): no delay may be shorter. */
	get serverRetryMs(): number {
		return this.#serverRetryMs;
	}

	/** The server's `retry:` field: a floor for every later delay. */
	setServerRetry(ms: number): void {
		this.#serverRetryMs = Math.max(0, ms);
	}

	/**
	 * A connection ended: `openedAt` when it got a 200 (undefined when it never did), `delivered` when it
	 * brought new lines. Either a delivering or a long connection resets the sequence.
	 */
	connectionEnded(connection: {openedAt?: number; delivered: boolean}, now = Date.now()): void {
		const {openedAt, delivered} = connection;
		this.#worked = openedAt !== undefined && (delivered || now - openedAt >= this.healthyMs);
		if (this.#worked) {
			this.#attempt = 0;
		}
	}

	/** The delay before the next attempt; `retryAfterMs` is a 429's Retry-After. */
	next(retryAfterMs = 0): number {
		this.#attempt++;
		if (this.#worked) {
			this.#worked = false;
			return Math.round(Math.max(this.#serverRetryMs || this.minMs, retryAfterMs));
		}

		const ceiling = Math.min(this.maxMs, this.minMs * 2 ** (this.#attempt - 1));
		const jittered = this.minMs + this.#random() * (ceiling - this.minMs);
		return Math.round(Math.max(jittered, this.#serverRetryMs, retryAfterMs));
	}
}
