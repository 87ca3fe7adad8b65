/**
 * Waiting on a condition without sleeping: call check() whenever something happened (an event, output),
 * and until() resolves as soon as its test holds, or rejects after `ms` with `why()`.
 */
export class Waiters {
	readonly #waiting = new Set<() => void>();

	check(): void {
		for (const waiter of this.#waiting) {
			waiter();
		}
	}

	async until(test: () => boolean, ms: number, why: () => string): Promise<void> {
		return new Promise<void>((resolve, reject) => {
			const waiter = () => {
				if (test()) {
					clearTimeout(timer);
					this.#waiting.delete(waiter);
					resolve();
				}
			};

			const timer = setTimeout(() => {
				this.#waiting.delete(waiter);
				reject(new Error(why()));
			}, ms);
			this.#waiting.add(waiter);
			waiter();
		});
	}
}
