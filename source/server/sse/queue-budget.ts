import type {ServerMetrics} from '../metrics.js';

/** Why a client was cut; each is counted in /metrics (dbtail_sse_cut_total). */
export type CutReason = 'queue' | 'budget' | 'write-timeout';

/** What the budget needs of one client's queue. */
export type BudgetedQueue = {
	/** Bytes held for this client: queued, and written but not yet taken by its socket. */
	readonly heldBytes: number;
	/** Whether it was cut already (it may still hold what its socket had not taken). */
	readonly cut: boolean;
	/** How long its socket has refused more without taking anything; 0 when it takes what it is given. */
	stalledMs(now: number): number;
	/** Cuts the client (a second call, on a client already cut, frees its socket at once). */
	cutOff(reason: CutReason): void;
};

/** How often stalled sockets are looked for: the write timeout is kept to within this. */
const SWEEP_MS = 1000;

/**
 * The server-wide bound on memory held for SSE clients. Every queue reports what it holds; when the total
 * passes `maxBytes`, the clients holding most (the furthest behind: the slowest) are cut with `slow-consumer`
 * until it is under again, so many readers that are each within their own limit cannot take the server down
 * together. A sweep cuts readers whose socket has taken nothing for `writeTimeoutMs`, whatever they hold.
 */
export class QueueBudget {
	readonly #queues = new Set<BudgetedQueue>();
	#total = 0;
	#enforcing = false;
	readonly #maxBytes: number;
	readonly #writeTimeoutMs: number;
	readonly #sweep: NodeJS.Timeout;

	constructor(maxBytes: number, writeTimeoutMs: number, metrics: ServerMetrics) {
		this.#maxBytes = maxBytes;
		this.#writeTimeoutMs = writeTimeoutMs;
		metrics.watchQueues(() => this.#total, maxBytes);
		this.#sweep = setInterval(() => this.#cutStalled(), Math.min(SWEEP_MS, writeTimeoutMs));
		this.#sweep.unref();
	}

	get maxBytes(): number {
		return this.#maxBytes;
	}

	get totalBytes(): number {
		return this.#total;
	}

	add(queue: BudgetedQueue): void {
		this.#queues.add(queue);
	}

	/** The queue is gone (its connection closed): what it last reported must be given back with change(). */
	remove(queue: BudgetedQueue): void {
		this.#queues.delete(queue);
	}

	/** A queue now holds `delta` bytes more (or fewer); past the budget, the largest holders are cut. */
	change(delta: number): void {
		this.#total += delta;
		if (delta > 0 && this.#total > this.#maxBytes) {
			this.#enforce();
		}
	}

	close(): void {
		clearInterval(this.#sweep);
	}

	#enforce(): void {
		// A cut gives bytes back through change(), which must not start a second round inside this one.
		if (this.#enforcing) {
			return;
		}

		this.#enforcing = true;
		try {
			const largestFirst = [...this.#queues].sort((a, b) => b.heldBytes - a.heldBytes);
			for (const queue of largestFirst) {
				if (this.#total <= this.#maxBytes) {
					break;
				}

				if (queue.heldBytes > 0) {
					queue.cutOff('budget');
				}
			}
		} finally {
			this.#enforcing = false;
		}
	}

	#cutStalled(): void {
		const now = Date.now();
		for (const queue of this.#queues) {
			if (queue.stalledMs(now) >= this.#writeTimeoutMs) {
				queue.cutOff('write-timeout');
			}
		}
	}
}
