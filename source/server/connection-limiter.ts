import {ApiError} from './api-error.js';

/**
 * Streams one instance holds by default. `npm run bench:server` on 2 cores (clients on the same machine) kept
 * p99 delivery under 100 ms at 100 lines/s up to about 2,000 streams on a quiet machine (1,000 at a load of 5
 * to 9), and took 10,000 without refusing one but with p99 past a second: past this, a second instance serves
 * clients better than more streams on one. Memory is not the limit: 15 to 25 KB a stream.
 */
export const DEFAULT_MAX_CONNECTIONS = 2000;
/** One token's share of that: a runaway script cannot take every slot. */
export const DEFAULT_MAX_CONNECTIONS_PER_TOKEN = 500;

/** Caps SSE connections in total and per token; over a cap the answer is 429 with Retry-After. */
export class ConnectionLimiter {
	#total = 0;
	readonly #perKey = new Map<string, number>();

	readonly #maxTotal: number;
	readonly #maxPerToken: number;
	readonly #retryAfterSeconds: number;

	constructor(
		maxTotal: number,
		maxPerToken: number,
		retryAfterSeconds = 5,
	) {
		this.#maxTotal = maxTotal;
		this.#maxPerToken = maxPerToken;
		this.#retryAfterSeconds = retryAfterSeconds;
	}

	/** Takes a slot or throws a 429; the returned function gives it back (once). */
	acquire(key: string | undefined): () => void {
		const retry = {'retry-after': String(this.#retryAfterSeconds)};
		if (this.#total >= this.#maxTotal) {
			throw new ApiError(429, 'too-many-connections', `the server has its maximum of ${this.#maxTotal} streams open; retry later`, retry);
		}

		const count = key === undefined ? 0 : (this.#perKey.get(key) ?? 0);
		if (key !== undefined && count >= this.#maxPerToken) {
			throw new ApiError(429, 'too-many-connections', `this token has its maximum of ${this.#maxPerToken} streams open; close one or retry later`, retry);
		}

		this.#total++;
		if (key !== undefined) {this.#perKey.set(key, count + 1);}
		let released = false;
		return () => {
			if (released) {return;}
			released = true;
			this.#total--;
			if (key !== undefined) {
				const left = (this.#perKey.get(key) ?? 1) - 1;
				if (left === 0) {this.#perKey.delete(key);}
				else {this.#perKey.set(key, left);}
			}
		};
	}
}
