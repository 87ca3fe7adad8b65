import {ApiError} from './api-error.js';

/**
 * Streams one instance holds by default. `npm run bench:server` on 2 cores shared with other sessions (load 5 to
 * 7, its clients on the same machine) kept p99 delivery under 100 ms at 100 lines/s at 2,000 streams in most
 * runs, 5,000 at 110 to 300 ms, and 10,000 without refusing one or losing a line but at 0.7 to 1.2 s (the
 * server at 0.4 µs of CPU per event delivered, most of it the kernel's socket writes; the rest of the delay is
 * the machine's other load and the bench's own clients). Past this, a second instance serves clients better
 * than more streams on one. Memory is not the limit: 15 to 25 KB a stream.
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
