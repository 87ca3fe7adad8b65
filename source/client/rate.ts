/** Records per second over a sliding window of whole seconds, cheap enough to call per record. */
export class RateMeter {
	readonly #buckets: number[];
	#second = 0;

	constructor(readonly windowSeconds = 5) {
		this.#buckets = Array.from({length: windowSeconds}, () => 0);
	}

	add(count = 1, now = Date.now()): void {
		this.#advance(now);
		this.#buckets[this.#second % this.windowSeconds]! += count;
	}

	/** The rate over the window, the current partial second included. */
	perSecond(now = Date.now()): number {
		this.#advance(now);
		const total = this.#buckets.reduce((sum, n) => sum + n, 0);
		return Math.round(total / this.windowSeconds);
	}

	#advance(now: number): void {
		const second = Math.floor(now / 1000);
		if (second === this.#second) {
			return;
		}

		const steps = Math.min(this.windowSeconds, second - this.#second);
		for (let i = 1; i <= steps; i++) {
			this.#buckets[(this.#second + i) % this.windowSeconds] = 0;
		}

		this.#second = second;
	}
}
