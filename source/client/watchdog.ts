/**
 * Declares a connection dead when no byte arrived for `deadMs` (2.5 heartbeat intervals). Bytes only
 * stamp a time, so the cost per chunk is one Date.now(); the timer re-arms itself for the remaining time.
 */
export class Watchdog {
	#lastByteAt = 0;
	#timer: NodeJS.Timeout | undefined;

	constructor(
		public deadMs: number,
		private readonly onDead: (idleMs: number) => void,
		/** While this says so (a paused consumer holding the socket), silence is not death. */
		private readonly excused: () => boolean = () => false,
	) {}

	start(): void {
		this.stop();
		this.#lastByteAt = Date.now();
		this.#arm(this.deadMs);
	}

	alive(): void {
		this.#lastByteAt = Date.now();
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#arm(ms: number): void {
		this.#timer = setTimeout(() => {
			const idle = Date.now() - this.#lastByteAt;
			if (this.excused()) {
				this.#lastByteAt = Date.now();
				this.#arm(this.deadMs);
			} else if (idle >= this.deadMs) {
				this.#timer = undefined;
				this.onDead(idle);
			} else {
				this.#arm(this.deadMs - idle);
			}
		}, ms);
	}
}
