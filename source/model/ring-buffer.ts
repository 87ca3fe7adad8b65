/**
 * A fixed-capacity ring buffer addressed by absolute positions: the n-th item ever pushed keeps position n
 * until it is evicted, so indexes built over the buffer (filter matches, search hits, the cursor) stay
 * valid as old items fall out and never need renumbering.
 */
export class RingBuffer<T> {
	readonly #items: Array<T | undefined>;
	#head = 0;
	#tail = 0;

	constructor(readonly capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) {
			throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
		}

		this.#items = Array.from({length: capacity});
	}

	/** Absolute position of the oldest item still held. */
	get first(): number {
		return this.#head;
	}

	/** Absolute position the next pushed item will get (one past the newest). */
	get end(): number {
		return this.#tail;
	}

	get size(): number {
		return this.#tail - this.#head;
	}

	/** How many items were pushed out by newer ones. */
	get evicted(): number {
		return this.#head;
	}

	/** Adds an item and returns its absolute position. */
	push(item: T): number {
		if (this.size === this.capacity) {
			this.#head++;
		}

		const position = this.#tail++;
		this.#items[position % this.capacity] = item;
		return position;
	}

	has(position: number): boolean {
		return position >= this.#head && position < this.#tail;
	}

	/** The item at an absolute position, or undefined when it was evicted or not pushed yet. */
	get(position: number): T | undefined {
		return this.has(position) ? this.#items[position % this.capacity] : undefined;
	}
}
