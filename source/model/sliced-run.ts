/** Runs a callback on a later turn of the event loop, after the input that is waiting has been read. */
export type Schedule = (run: () => void) => void;

/**
 * setImmediate runs in the loop's check phase, after its poll phase has read the terminal: a key pressed
 * while a slice ran is routed before the next slice starts. (A resolved promise or process.nextTick would
 * run the next slice before any input is read.)
 */
export const nextTurn: Schedule = (run) => {
	setImmediate(run);
};

/** How long one slice may run: a key waits at most this long (plus one chunk) while the index is rebuilt. */
export const SLICE_MS = 8;
/** Lines a chunk does between two reads of the slice's clock (a few hundred: about 1.5 ms of RE2). */
export const CHUNK_LINES = 256;
/** Work this small is done at once, in the call that asked for it (a few milliseconds at most). */
export const WHOLE_BELOW = 4096;

export type SlicedRunOptions = {
	schedule?: Schedule;
	sliceMs?: number;
	/** Called after each slice run on a later turn (not the one run where the work was started). */
	onSlice?: () => void;
	/** The clock a slice's budget is kept by; tests may count chunks instead of milliseconds. */
	clock?: () => number;
	chunkLines?: number;
	wholeBelow?: number;
};

/**
 * Work done in chunks, a slice of chunks at a time, one slice per turn of the event loop, so no one
 * piece of it holds the loop (a case-insensitive RE2 filter over 100,000 lines is 550-730 ms of work).
 * The work itself lives with its owner: `chunk()` does a few hundred lines of it and says whether any is
 * left. Starting the work again (a newer filter) needs nothing here: the owner resets what `chunk`
 * reads, and the slice already scheduled carries on with the new work, so the old one is cancelled.
 */
export class SlicedRun {
	readonly #chunk: (lines: number) => boolean;
	readonly #chunkLines: number;
	readonly #wholeBelow: number;
	readonly #schedule: Schedule;
	readonly #sliceMs: number;
	readonly #onSlice?: () => void;
	readonly #clock: () => number;
	#scheduled = false;
	#waiting: Array<() => void> = [];

	constructor(chunk: (lines: number) => boolean, options: SlicedRunOptions = {}) {
		this.#chunk = chunk;
		this.#chunkLines = options.chunkLines ?? CHUNK_LINES;
		this.#wholeBelow = options.wholeBelow ?? WHOLE_BELOW;
		this.#schedule = options.schedule ?? nextTurn;
		this.#sliceMs = options.sliceMs ?? SLICE_MS;
		this.#onSlice = options.onSlice;
		this.#clock = options.clock ?? (() => performance.now());
	}

	/** Whether a slice is scheduled: work is left. */
	get running(): boolean {
		return this.#scheduled;
	}

	/**
	 * Does `lines` of work now when they are few (callers and tests see the result at once), else one
	 * slice now, for what the user looks at first, and the rest on later turns.
	 */
	start(lines: number): void {
		const left = lines <= this.#wholeBelow ? this.#runAll() : this.#slice();
		if (left) {
			this.#later();
		} else {
			this.#settle();
		}
	}

	/** Resolves when no work is left (at once when none is). */
	async done(): Promise<void> {
		if (!this.#scheduled) {
			return;
		}

		await new Promise<void>((resolve) => {
			this.#waiting.push(resolve);
		});
	}

	#runAll(): boolean {
		while (this.#chunk(this.#chunkLines)) {
			// Each chunk does its part; the loop ends when none is left.
		}

		return false;
	}

	/** Chunks until the slice's time is up; true while work is left. */
	#slice(): boolean {
		const until = this.#clock() + this.#sliceMs;
		let left = this.#chunk(this.#chunkLines);
		while (left && this.#clock() < until) {
			left = this.#chunk(this.#chunkLines);
		}

		return left;
	}

	#later(): void {
		if (this.#scheduled) {
			return;
		}

		this.#scheduled = true;
		this.#schedule(() => {
			this.#scheduled = false;
			const left = this.#slice();
			if (left) {
				this.#later();
			} else {
				this.#settle();
			}

			this.#onSlice?.();
		});
	}

	#settle(): void {
		const waiting = this.#waiting;
		this.#waiting = [];
		for (const resolve of waiting) {
			resolve();
		}
	}
}
