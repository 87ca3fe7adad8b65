/** A timer this late means the process was stopped, not that the connection was silent. */
const LATE_MS = 1000;

/**
 * Declares a connection dead when no byte arrived for `deadMs` (2.5 heartbeat intervals). Bytes only
 * stamp a time, so the cost per chunk is one Date.now(); the timer re-arms itself for the remaining time.
 */
export class Watchdog {
	#lastByteAt = 0;
	#timer: NodeJS.Timeout | undefined;
	#deadMs: number;

	readonly #onDead: (idleMs: number) => void;
	readonly #excused: () => boolean;

	constructor(
		deadMs: number,
		onDead: (idleMs: number) => void,
		/** While this says so (a paused consumer holding the socket), silence is not death. */
		excused: () => boolean = () => false,
	) {
		this.#deadMs = deadMs;
		this.#onDead = onDead;
		this.#excused = excused;
	}

	get deadMs(): number {
		return this.#deadMs;
	}

	/**
	 * A new deadline (the server announced its heartbeat) applies to the silence already under way: a
	 * server that says "every 200 ms" and then goes quiet is dead within 500 ms, not the old deadline.
	 */
	set deadMs(ms: number) {
		this.#deadMs = ms;
		if (this.#timer !== undefined) {
			clearTimeout(this.#timer);
			this.#arm(Math.max(0, ms - (Date.now() - this.#lastByteAt)));
		}
	}

	start(): void {
		this.stop();
		this.#lastByteAt = Date.now();
		this.#arm(this.#deadMs);
	}

	alive(now = Date.now()): void {
		this.#lastByteAt = now;
	}

	stop(): void {
		clearTimeout(this.#timer);
		this.#timer = undefined;
	}

	#arm(ms: number): void {
		const due = Date.now() + ms;
		this.#timer = setTimeout(() => {
			const now = Date.now();
			const idle = now - this.#lastByteAt;
			// Silence counts from now when the consumer holds the socket on purpose, or when the timer is far
			// past its time: the process was not running (Ctrl-Z, a suspended laptop, a stopped container) and
			// bytes may be waiting in the socket unread.
			if (this.#excused() || now - due > LATE_MS) {
				this.#lastByteAt = now;
				this.#arm(this.#deadMs);
			} else if (idle >= this.#deadMs) {
				this.#timer = undefined;
				this.#onDead(idle);
			} else {
				this.#arm(this.#deadMs - idle);
			}
		}, ms);
	}
}
