/**
 * Lines per second by arrival, over a sliding window of whole seconds: what a pane is being sent now,
 * whatever times the lines carry. Cheap enough to call per line. The status bar's lines/s reads a 5 s
 * window; the title's sparkline (activity-sparkline.ts) reads each second of a 60 s one.
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

	/** Lines per whole second over the window, oldest first; the last is the current, partial second. */
	counts(now: number): number[] {
		this.#advance(now);
		const size = this.windowSeconds;
		return Array.from({length: size}, (_, index) => this.#buckets[(((this.#second - size + 1 + index) % size) + size) % size]!);
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
