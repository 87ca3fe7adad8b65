/** A gate a reader awaits between chunks: closed by pause(), opened by resume(). */
export class PauseGate {
	#opened: {promise: Promise<void>; open: () => void} | undefined;

	get paused(): boolean {
		return this.#opened !== undefined;
	}

	/** The promise to await before reading on, or undefined when not paused. */
	get wait(): Promise<void> | undefined {
		return this.#opened?.promise;
	}

	pause(): void {
		if (!this.#opened) {
			let open!: () => void;
			const promise = new Promise<void>((resolve) => {
				open = resolve;
			});
			this.#opened = {promise, open};
		}
	}

	resume(): void {
		this.#opened?.open();
		this.#opened = undefined;
	}
}
