/**
 * Reconnect delays: exponential with full jitter between `minMs` and a ceiling that doubles per attempt up
 * to `maxMs`, never faster than the server's `retry:` or a 429's `Retry-After`. A connection that stayed
 * healthy for `healthyMs` starts the sequence over, so one blip after hours of streaming waits 0.5 s, not 30.
 */
export type BackoffOptions = {minMs?: number; maxMs?: number; healthyMs?: number; random?: () => number};

export class Backoff {
	readonly minMs: number;
	readonly maxMs: number;
	readonly healthyMs: number;
	#attempt = 0;
	#serverRetryMs = 0;
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

	/** The server's `retry:` field: a floor for every later delay. */
	setServerRetry(ms: number): void {
		this.#serverRetryMs = Math.max(0, ms);
	}

	/** A connection ended after having been open since `openedAt`: long enough resets the sequence. */
	connectionEnded(openedAt: number | undefined, now = Date.now()): void {
		if (openedAt !== undefined && now - openedAt >= this.healthyMs) {
			this.#attempt = 0;
		}
	}

	/** The delay before the next attempt; `retryAfterMs` is a 429's Retry-After. */
	next(retryAfterMs = 0): number {
		this.#attempt++;
		const ceiling = Math.min(this.maxMs, this.minMs * 2 ** (this.#attempt - 1));
		const jittered = this.minMs + this.#random() * (ceiling - this.minMs);
		return Math.round(Math.max(jittered, this.#serverRetryMs, retryAfterMs));
	}
}
