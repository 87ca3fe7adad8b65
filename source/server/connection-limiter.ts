import {ApiError} from './api-error.js';

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
