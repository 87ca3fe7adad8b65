import type {MergedIndex} from './merged-index.js';
import type {PaneLine} from './pane-line.js';
import {LayoutCache, lineHeight, type RowOptions} from './rows.js';

/** A line of the merged order, kept by its (time, key): it stays the same line while late lines are placed before it. */
export type Anchor = {time: number; key: number};

/**
 * Cursor, scrolling, follow and pause over a merged index, as PaneViewport does them over a pane's index,
 * with one difference that makes it a class of its own: ranks move under it (a slower stream's line is
 * placed before lines already shown), so the cursor, the bottom of the screen and the pause point are
 * anchors, (time, key) of their lines, and a rank is found from them by binary search when it is needed.
 * A cursor not at the live end keeps its line on screen however many lines arrive above it.
 *
 * Heights come from the row layout the snapshot draws; every move measures only the lines it passes.
 */
export class MergedViewport {
	following = true;
	paused = false;
	readonly layout = new LayoutCache();
	#cursor?: Anchor;
	#bottom?: Anchor;
	#frozen?: Anchor;
	readonly #index: MergedIndex;
	readonly #line: (rank: number) => PaneLine | undefined;
	readonly #options: () => RowOptions;
	readonly #rows: () => number;

	constructor(index: MergedIndex, line: (rank: number) => PaneLine | undefined, options: () => RowOptions, rows: () => number) {
		this.#index = index;
		this.#line = line;
		this.#options = options;
		this.#rows = rows;
	}

	/** Lines shown up to the pause point (all of them while not paused). */
	visibleCount(): number {
		return this.paused && this.#frozen ? this.#index.upperBound(this.#frozen.time, this.#frozen.key) : this.#index.length;
	}

	/** Lines placed after the pause point since the pause. */
	get newWhilePaused(): number {
		return this.paused ? this.#index.length - this.visibleCount() : 0;
	}

	cursorRank(): number {
		return this.#rankOf(this.#cursor);
	}

	bottomRank(): number {
		return this.#rankOf(this.#bottom);
	}

	moveCursor(delta: number): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && delta >= 0)) {
			return;
		}

		const rank = Math.min(visible - 1, Math.max(0, this.cursorRank() + delta));
		if (delta > 0 && rank === visible - 1 && !this.paused) {
			this.followLive();
			return;
		}

		this.jumpTo(rank);
	}

	page(direction: 1 | -1): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && direction === 1)) {
			return;
		}

		const bottom = this.bottomRank();
		const top = direction === 1 ? Math.min(visible - 1, bottom + 1) : this.#topFor(Math.max(0, this.#topFor(bottom) - 1));
		const nextBottom = this.#bottomFor(top);
		if (direction === 1 && nextBottom === visible - 1 && !this.paused) {
			this.followLive();
			return;
		}

		this.#place(top, nextBottom);
	}

	halfPage(direction: 1 | -1): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && direction === 1)) {
			return;
		}

		const step = Math.max(1, Math.floor(this.#rows() / 2));
		const bottom = Math.min(visible - 1, Math.max(0, this.bottomRank() + direction * step));
		if (direction === 1 && bottom === visible - 1 && !this.paused) {
			this.followLive();
			return;
		}

		const cursor = Math.min(visible - 1, Math.max(0, this.cursorRank() + direction * step));
		this.#place(cursor, Math.max(bottom, cursor));
		if (cursor < this.#topFor(this.bottomRank())) {
			this.#bottom = this.#index.anchorAt(this.#bottomFor(cursor));
		}
	}

	top(): void {
		if (this.visibleCount() > 0) {
			this.#place(0, this.#bottomFor(0));
		}
	}

	followLive(): void {
		this.paused = false;
		this.following = true;
	}

	togglePause(): void {
		if (this.paused) {
			this.followLive();
			return;
		}

		const last = this.visibleCount() - 1;
		const cursor = this.following ? last : this.cursorRank();
		const bottom = this.following ? last : this.bottomRank();
		this.#frozen = this.#index.anchorAt(this.#index.length - 1);
		this.paused = true;
		this.following = false;
		this.#cursor = this.#index.anchorAt(cursor);
		this.#bottom = this.#index.anchorAt(bottom);
	}

	/** Puts the cursor on a rank (stopping follow) and scrolls just enough to show it. */
	jumpTo(rank: number): void {
		if (this.following) {
			this.#bottom = this.#index.anchorAt(this.visibleCount() - 1);
		}

		this.following = false;
		this.#cursor = this.#index.anchorAt(rank);
		const bottom = this.bottomRank();
		if (rank > bottom) {
			this.#bottom = this.#cursor;
		} else if (rank < this.#topFor(bottom)) {
			this.#bottom = this.#index.anchorAt(this.#bottomFor(rank));
		}
	}

	/** The ranks on screen, top to bottom, and the lines below the bottom. */
	screen(): {top: number; bottom: number; below: number} {
		const visible = this.visibleCount();
		const bottom = this.bottomRank();
		const top = this.#topFor(bottom);
		// Near the oldest line the screen may not be full: the lines after the anchor fill it.
		const last = top === 0 ? Math.max(bottom, this.#bottomFor(0)) : bottom;
		return {top, bottom: last, below: Math.max(0, visible - 1 - last)};
	}

	#place(cursor: number, bottom: number): void {
		this.following = false;
		this.#cursor = this.#index.anchorAt(cursor);
		this.#bottom = this.#index.anchorAt(bottom);
	}

	/** The rank of an anchored line, or of the nearest before it when it is gone (evicted, filtered out). */
	#rankOf(anchor: Anchor | undefined): number {
		const visible = this.visibleCount();
		if (this.following || visible === 0 || !anchor) {
			return Math.max(0, visible - 1);
		}

		return Math.min(visible - 1, Math.max(0, this.#index.upperBound(anchor.time, anchor.key) - 1));
	}

	#height(): (rank: number) => number {
		const options = this.#options();
		return (rank) => {
			const line = this.#line(rank);
			return line ? lineHeight(line, options, this.layout) : 1;
		};
	}

	#topFor(bottomRank: number): number {
		const heights = this.#height();
		const rows = this.#rows();
		let used = 0;
		let rank = bottomRank;
		for (; rank >= 0; rank--) {
			used += heights(rank);
			if (used > rows && rank !== bottomRank) {
				break;
			}
		}

		return rank + 1;
	}

	#bottomFor(topRank: number): number {
		const visible = this.visibleCount();
		const heights = this.#height();
		const rows = this.#rows();
		let used = 0;
		let rank = topRank;
		for (; rank < visible; rank++) {
			used += heights(rank);
			if (used > rows && rank !== topRank) {
				break;
			}
		}

		return rank - 1;
	}
}
