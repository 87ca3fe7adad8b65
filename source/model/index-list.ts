/**
 * An ascending list of window positions (the lines a filter lets through, the search hits). Grows at the
 * tail as lines arrive and at the head as older lines are filled in or a rebuild reaches back (both O(1)
 * amortized); drops from either end as the window evicts. Lookups are binary searches.
 * Positions are never copied out with the lines they point to.
 */
export class IndexList {
	#values: number[] = [];
	#start = 0;

	get length(): number {
		return this.#values.length - this.#start;
	}

	/** The position at rank `rank` (0 = oldest kept). */
	at(rank: number): number | undefined {
		return rank >= 0 && rank < this.length ? this.#values[this.#start + rank] : undefined;
	}

	last(): number | undefined {
		return this.at(this.length - 1);
	}

	/** Appends a position; callers push in ascending order. */
	push(position: number): void {
		this.#values.push(position);
	}

	/**
	 * Puts positions (ascending, all below the first kept) in front. The free slots before the head take
	 * them where they fit; else the list is copied once with as much room again in front, so a rebuild that
	 * grows the list from its newest end backwards, a chunk at a time, costs O(length) in all.
	 */
	prepend(positions: number[]): void {
		const count = positions.length;
		if (count === 0) {
			return;
		}

		if (count > this.#start) {
			const room = Math.max(count, this.length);
			const values = Array.from<number>({length: room + this.length}).fill(0);
			for (let index = 0; index < this.length; index++) {
				values[room + index] = this.#values[this.#start + index]!;
			}

			this.#values = values;
			this.#start = room;
		}

		this.#start -= count;
		for (let index = 0; index < count; index++) {
			this.#values[this.#start + index] = positions[index]!;
		}
	}

	clear(): void {
		this.#values = [];
		this.#start = 0;
	}

	/** Forgets every position below `position` (they were evicted from the window). */
	dropBelow(position: number): void {
		while (this.#start < this.#values.length && this.#values[this.#start]! < position) {
			this.#start++;
		}

		// Compact now and then so the dead head does not grow without bound.
		if (this.#start > 4096 && this.#start * 2 > this.#values.length) {
			this.#values = this.#values.slice(this.#start);
			this.#start = 0;
		}
	}

	/** Forgets every position at or above `position` (the window dropped its newest end). */
	dropFrom(position: number): void {
		if (this.length > 0 && this.#values.at(-1)! >= position) {
			this.#values.length = this.#start + this.lowerBound(position);
		}
	}

	/** Rank of the first position >= `position` (length when there is none). */
	lowerBound(position: number): number {
		let low = this.#start;
		let high = this.#values.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.#values[middle]! < position) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low - this.#start;
	}

	/** Rank of the last position <= `position` (-1 when there is none). */
	rankAtOrBefore(position: number): number {
		const rank = this.lowerBound(position);
		return this.at(rank) === position ? rank : rank - 1;
	}
}
