/**
 * Lines per second by arrival, over a sliding window of whole seconds: what a pane is being sent now,
 * whatever times the lines carry. Cheap enough to call per line.
 */
export class ArrivalRate {
	readonly #buckets: number[];
	#second = 0;

	constructor(readonly windowSeconds = 5) {
		this.#buckets = Array.from({length: windowSeconds}, () => 0);
	}

	add(now: number): void {
		this.#advance(now);
		this.#buckets[this.#second % this.windowSeconds]! += 1;
	}

	/** The rate over the window, the current partial second included. */
	perSecond(now: number): number {
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
		for (let step = 1; step <= steps; step++) {
			this.#buckets[(this.#second + step) % this.windowSeconds] = 0;
		}

		this.#second = second;
	}
}
