import type {IndexList} from './index-list.js';
import type {PaneLine} from './pane-line.js';
import type {RingBuffer} from './ring-buffer.js';
import {LayoutCache, lineHeight, lineRows, lineSpan, type Row, type RowOptions} from './rows.js';
import type {TimestampMode} from './timestamps.js';

/** What the pane is drawn at: its text area and how times show. */
export type ViewOptions = {rows: number; width: number; timestamps: TimestampMode; now: number};

export type PaneSnapshot = {
	rows: Row[];
	following: boolean;
	paused: boolean;
	/** Lines (passing the filter) below the bottom of the screen when not following. */
	below: number;
	/** Lines the filter and level let through, up to the pause point. */
	visible: number;
};

type Options = ViewOptions & Omit<RowOptions, 'highlight'>;

/**
 * Cursor, scrolling, follow and pause over the filtered index of a pane. Positions are absolute buffer
 * positions, so they survive eviction and filter changes; ranks are places in the filtered index. The
 * screen is anchored at its bottom line; heights come from the same row layout the snapshot draws, so
 * wrapped lines scroll right.
 */
export class PaneViewport {
	following = true;
	paused = false;
	frozenEnd = 0;
	options: Options = {rows: 10, width: 80, timestamps: 'relative', now: 0, wrap: true, hscroll: 0};
	#cursor = -1;
	#bottom = -1;
	/** With wrap off: how far the widest line on screen reaches past the pane's edge (0 when none does). */
	sidewaysRoom = 0;
	readonly #layout = new LayoutCache();

	readonly #buffer: RingBuffer<PaneLine>;
	readonly #shown: IndexList;
	readonly #limit: () => number;

	constructor(
		buffer: RingBuffer<PaneLine>,
		shown: IndexList,
		limit: () => number,
	) {
		this.#buffer = buffer;
		this.#shown = shown;
		this.#limit = limit;
	}

	visibleCount(): number {
		return this.#shown.lowerBound(this.#limit());
	}

	cursorRank(): number {
		return this.#rankOf(this.#cursor);
	}

	cursorPosition(): number | undefined {
		const count = this.visibleCount();
		return count === 0 ? undefined : this.#shown.at(this.cursorRank());
	}

	/** Moves the cursor; going down onto the newest line follows live again (as less's F, without the key). */
	moveCursor(delta: number): void {
		const count = this.visibleCount();
		if (count === 0 || (this.following && delta >= 0)) {
			return;
		}

		const rank = Math.min(count - 1, Math.max(0, this.cursorRank() + delta));
		if (delta > 0 && rank === count - 1 && !this.paused) {
			this.followLive();
			return;
		}

		this.jumpTo(this.#shown.at(rank)!);
	}

	/** Ctrl-D / Ctrl-U: the view moves half a screen and the cursor with it; the bottom follows live again. */
	halfPage(direction: 1 | -1): void {
		const count = this.visibleCount();
		if (count === 0 || (this.following && direction === 1)) {
			return;
		}

		const step = Math.max(1, Math.floor(this.options.rows / 2));
		const bottomRank = this.#bottomRank();
		const nextBottom = Math.min(count - 1, Math.max(0, bottomRank + direction * step));
		if (direction === 1 && nextBottom === count - 1 && !this.paused) {
			this.followLive();
			return;
		}

		const cursor = Math.min(count - 1, Math.max(0, this.cursorRank() + direction * step));
		this.#stopFollowing(this.#shown.at(cursor)!, this.#shown.at(Math.max(nextBottom, Math.min(cursor, count - 1)))!);
		// The cursor stays on screen: a bottom moved above it is moved back down to it.
		if (this.cursorRank() < this.#topFor(this.#bottomRank())) {
			this.#bottom = this.#shown.at(this.#bottomFor(this.cursorRank()))!;
		}
	}

	/**
	 * Puts the cursor on a found line a third of the way down the screen, so what follows it (a stack
	 * trace after an ERROR) is in view, as vim and less leave context after a match.
	 */
	showFound(position: number): void {
		this.jumpTo(position);
		const cursorRank = this.cursorRank();
		let used = this.#height(cursorRank);
		let top = cursorRank;
		while (top > 0 && used + this.#height(top - 1) <= Math.floor(this.options.rows / 3)) {
			top--;
			used += this.#height(top);
		}

		this.#bottom = this.#shown.at(this.#bottomFor(top))!;
	}

	/** A screen forward (the line after the bottom goes to the top) or back. */
	page(direction: 1 | -1): void {
		const count = this.visibleCount();
		if (count === 0 || (this.following && direction === 1)) {
			return;
		}

		const bottomRank = this.#bottomRank();
		if (direction === 1) {
			const top = Math.min(count - 1, bottomRank + 1);
			this.#stopFollowing(this.#shown.at(top)!, this.#shown.at(this.#bottomFor(top))!);
		} else {
			const bottom = Math.max(0, this.#topFor(bottomRank) - 1);
			const top = this.#topFor(bottom);
			this.#stopFollowing(this.#shown.at(top)!, this.#shown.at(this.#bottomFor(top))!);
		}
	}

	top(): void {
		if (this.visibleCount() > 0) {
			this.#stopFollowing(this.#shown.at(0)!, this.#shown.at(this.#bottomFor(0))!);
		}
	}

	pause(end: number): void {
		const last = this.#shown.at(this.visibleCount() - 1);
		const cursor = this.following ? last : this.#shown.at(this.cursorRank());
		const bottom = this.following ? last : this.#shown.at(this.#bottomRank());
		this.paused = true;
		this.frozenEnd = end;
		this.following = false;
		this.#cursor = cursor ?? -1;
		this.#bottom = bottom ?? -1;
	}

	followLive(): void {
		this.paused = false;
		this.following = true;
	}

	/** Puts the cursor on a position (stopping follow) and scrolls just enough to show it. */
	jumpTo(position: number): void {
		const count = this.visibleCount();
		if (this.following) {
			this.#bottom = this.#shown.at(count - 1)!;
		}

		this.following = false;
		this.#cursor = position;
		const cursorRank = this.cursorRank();
		const bottomRank = this.#bottomRank();
		if (cursorRank > bottomRank) {
			this.#bottom = position;
		} else if (cursorRank < this.#topFor(bottomRank)) {
			this.#bottom = this.#shown.at(this.#bottomFor(cursorRank))!;
		}
	}

	snapshot(highlight: RegExp | undefined): PaneSnapshot {
		const count = this.visibleCount();
		const rows: Row[] = [];
		if (count === 0) {
			return {rows, following: this.following, paused: this.paused, below: 0, visible: 0};
		}

		const bottomRank = this.#bottomRank();
		const cursorRank = this.following ? -1 : this.cursorRank();
		const options: RowOptions = {...this.options, highlight: highlight && new RegExp(highlight.source, `${highlight.flags}g`)};
		this.#layout.nextFrame();
		let rank = bottomRank;
		for (; rank >= 0 && rows.length < this.options.rows; rank--) {
			rows.unshift(...lineRows(this.#line(rank), this.#shown.at(rank)!, options, rank === cursorRank, this.#layout));
		}

		rows.splice(0, Math.max(0, rows.length - this.options.rows));
		// Near the top of the buffer the screen may not be full: show the lines after the anchor too.
		let below = count - 1 - bottomRank;
		for (let next = bottomRank + 1; next < count && rows.length < this.options.rows; next++, below--) {
			rows.push(...lineRows(this.#line(next), this.#shown.at(next)!, options, next === cursorRank, this.#layout));
		}

		rows.splice(this.options.rows);
		if (!this.options.wrap) {
			this.#measureSideways(rows, options);
		}

		return {rows, following: this.following, paused: this.paused, below: Math.max(0, below), visible: count};
	}

	/** `l` stops where the widest line on screen ends, and `$` goes there. */
	#measureSideways(rows: Row[], options: RowOptions): void {
		let room = 0;
		for (const key of new Set(rows.map((row) => Number(row.key.split(':')[0])))) {
			const line = this.#buffer.get(key);
			if (line) {
				const {columns, textWidth} = lineSpan(line, options);
				room = Math.max(room, columns - textWidth + 1);
			}
		}

		this.sidewaysRoom = room;
	}

	#line(rank: number): PaneLine {
		return this.#buffer.get(this.#shown.at(rank)!)!;
	}

	#stopFollowing(cursor: number, bottom: number): void {
		this.following = false;
		this.#cursor = cursor;
		this.#bottom = bottom;
	}

	/** Rank of a position in the visible part of the index; the nearest line before it when hidden. */
	#rankOf(position: number): number {
		const count = this.visibleCount();
		if (this.following || count === 0) {
			return Math.max(0, count - 1);
		}

		return Math.min(count - 1, Math.max(0, this.#shown.rankAtOrBefore(position)));
	}

	#bottomRank(): number {
		return this.#rankOf(this.#bottom);
	}

	#height(rank: number): number {
		return lineHeight(this.#line(rank), this.options, this.#layout);
	}

	/** The top rank of a screen whose bottom line is `bottomRank`. */
	#topFor(bottomRank: number): number {
		let used = 0;
		let rank = bottomRank;
		for (; rank >= 0; rank--) {
			used += this.#height(rank);
			if (used > this.options.rows && rank !== bottomRank) {
				break;
			}
		}

		return rank + 1;
	}

	/** The bottom rank of a screen whose top line is `topRank`. */
	#bottomFor(topRank: number): number {
		const count = this.visibleCount();
		let used = 0;
		let rank = topRank;
		for (; rank < count; rank++) {
			used += this.#height(rank);
			if (used > this.options.rows && rank !== topRank) {
				break;
			}
		}

		return rank - 1;
	}
}
