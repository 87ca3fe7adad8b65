import type {LineWindow} from './line-window.js';

/**
 * The lines the user marked (`m`), as lnav marks them: `u` / `U` go to the next / previous one, and a
 * save (`S`) writes only the marked lines while any are. A mark is a bit of its line in the window
 * (held-lines.ts), so it lasts exactly while the line is held: evicted, dropped across a hole or replaced
 * by a jump, the line takes its mark with it, and a later line at the same position starts unmarked.
 * Marks are by position, which a filter change does not touch: a mark hidden by a filter is back when
 * the filter is. The positions are also kept here, ascending, to find the next mark without a scan of
 * the window; those whose line is gone are forgotten as they are met.
 */
export class PaneMarks {
	#positions: number[] = [];
	readonly #window: LineWindow;

	constructor(window: LineWindow) {
		this.#window = window;
	}

	/** How many lines held are marked. */
	get size(): number {
		this.#prune();
		return this.#positions.length;
	}

	has(position: number): boolean {
		return this.#window.isMarked(position);
	}

	/** Marks the line at `position`, or unmarks it when marked; true when it is marked now. */
	toggle(position: number): boolean {
		if (!this.#window.has(position)) {
			return false;
		}

		const marked = !this.#window.isMarked(position);
		this.#window.setMarked(position, marked);
		this.#prune();
		const at = this.#lowerBound(position);
		if (marked && this.#positions[at] !== position) {
			this.#positions.splice(at, 0, position);
		} else if (!marked && this.#positions[at] === position) {
			this.#positions.splice(at, 1);
		}

		return marked;
	}

	/** The marked positions held, ascending (for a save of the marked lines). */
	positions(): readonly number[] {
		this.#prune();
		return this.#positions;
	}

	/**
	 * The nearest marked position after `from` (`direction` 1) or before it (-1) that `accept` takes (the
	 * pane passes "shown": a mark hidden by the filter is stepped over).
	 */
	next(from: number, direction: 1 | -1, accept: (position: number) => boolean): number | undefined {
		this.#prune();
		const positions = this.#positions;
		let at = direction === 1 ? this.#lowerBound(from + 1) : this.#lowerBound(from) - 1;
		for (; at >= 0 && at < positions.length; at += direction) {
			if (accept(positions[at]!)) {
				return positions[at];
			}
		}

		return undefined;
	}

	/** Forgets positions whose line is no longer held or no longer marked (a new line at the same place). */
	#prune(): void {
		if (this.#positions.some((position) => !this.#window.isMarked(position))) {
			this.#positions = this.#positions.filter((position) => this.#window.isMarked(position));
		}
	}

	#lowerBound(position: number): number {
		let low = 0;
		let high = this.#positions.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.#positions[middle]! < position) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}
}
