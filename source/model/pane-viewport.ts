/*
 * One file for the cursor, the bottom anchor and the screen math on purpose: every move reads and sets
 * the same state (following, paused, the pause point, cursor and bottom positions) and measures with the
 * same heights, so a second class would take all of it through a wide interface. What stands apart has
 * moved out: the rows of a line (rows.ts) and the markers where lines are not held (held-markers.ts).
 */
import type {LineIndex} from './line-index.js';
import type {LineWindow} from './line-window.js';
import type {PaneLine} from './pane-line.js';
import {heldMarker, markerRow} from './held-markers.js';
import type {PaneMarks} from './pane-marks.js';
import {LayoutCache, lineHeight, lineRows, lineSpan, type Row, type RowOptions} from './rows.js';
import {formatTimestamp, type TimestampMode} from './timestamps.js';

/** A pane's text area in columns and rows (its title row not included), as the workspace lays it out. */
export type ViewSize = {rows: number; width: number};

export type PaneSnapshot = {
	rows: Row[];
	following: boolean;
	paused: boolean;
	/** Lines (passing the filter) below the bottom of the screen when not following. */
	below: number;
	/** Lines the filter and level let through, up to the pause point. */
	visible: number;
	/** The pane has marked lines: each row starts with a gutter column (a mark or a blank). */
	gutter: boolean;
};

/**
 * Cursor, scrolling, follow, pause, wrap and sideways scroll over a pane's filtered index. Positions are
 * window positions, so they survive eviction, fills and filter changes; ranks are places in the filtered
 * index. The screen is anchored at its bottom line; heights come from the same row layout the snapshot
 * draws, so wrapped lines scroll right. Its size is given by the workspace's layout (`resize`); drawing
 * only reads it.
 *
 * Where the window does not hold lines, a marker row (held-markers.ts) stands above the next line shown
 * and counts in that line's height, so scrolling and paging see it as the screen does.
 */
export class PaneViewport {
	following = true;
	paused = false;
	wrap = true;
	/** Columns scrolled sideways (wrap off). */
	hscroll = 0;
	timestamps: TimestampMode = 'relative';
	#size: ViewSize = {rows: 10, width: 80};
	#frozenEnd = 0;
	#cursor = -1;
	#bottom = -1;
	readonly #layout = new LayoutCache();
	readonly #window: LineWindow;
	readonly #index: LineIndex;
	readonly #ownLabel?: string;
	readonly #clock: () => number;
	readonly #marks?: PaneMarks;

	constructor(window: LineWindow, index: LineIndex, options: {ownLabel?: string; clock?: () => number; marks?: PaneMarks} = {}) {
		this.#window = window;
		this.#index = index;
		this.#ownLabel = options.ownLabel;
		this.#clock = options.clock ?? Date.now;
		this.#marks = options.marks;
	}

	get size(): ViewSize {
		return this.#size;
	}

	resize(size: ViewSize): void {
		this.#size = {rows: Math.max(0, size.rows), width: Math.max(1, size.width)};
		// The screen is anchored at its bottom line: a shorter one would lose a cursor near its top
		// (T puts it a third down), so the bottom comes up until the cursor line is on screen again.
		if (!this.following && this.visibleCount() > 0) {
			const cursorRank = this.cursorRank();
			if (cursorRank < this.#topFor(this.#bottomRank())) {
				this.#bottom = this.#at(this.#bottomFor(cursorRank));
			}
		}
	}

	/**
	 * One past the newest position the pane may show. Paused: the pause point, unless a busy stream has
	 * pushed the frozen lines out of the window; then the oldest lines still held (a screenful), rather
	 * than an empty pane.
	 */
	limit(): number {
		const {first, end} = this.#window;
		if (!this.paused) {
			return end;
		}

		return this.#frozenEnd > first || this.#window.evicted === 0 ? Math.min(this.#frozenEnd, end) : Math.min(end, first + this.#size.rows);
	}

	/** Lines that arrived, passing the filter, since the pane was paused. */
	get newWhilePaused(): number {
		const {shown} = this.#index;
		return this.paused ? shown.length - shown.lowerBound(this.limit()) : 0;
	}

	visibleCount(): number {
		return this.#index.shown.lowerBound(this.limit());
	}

	cursorRank(): number {
		return this.#rankOf(this.#cursor);
	}

	cursorPosition(): number | undefined {
		const visible = this.visibleCount();
		return visible === 0 ? undefined : this.#index.shown.at(this.cursorRank());
	}

	/** Moves the cursor; going down onto the newest line follows live again (as less's F, without the key). */
	moveCursor(delta: number): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && delta >= 0)) {
			return;
		}

		const rank = Math.min(visible - 1, Math.max(0, this.cursorRank() + delta));
		if (delta > 0 && rank === visible - 1 && this.#mayFollow()) {
			this.followLive();
			return;
		}

		this.jumpTo(this.#at(rank));
	}

	/** Ctrl-D / Ctrl-U: the view moves half a screen and the cursor with it; the bottom follows live again. */
	halfPage(direction: 1 | -1): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && direction === 1)) {
			return;
		}

		const step = Math.max(1, Math.floor(this.#size.rows / 2));
		const nextBottom = Math.min(visible - 1, Math.max(0, this.#bottomRank() + direction * step));
		if (direction === 1 && nextBottom === visible - 1 && this.#mayFollow()) {
			this.followLive();
			return;
		}

		const cursor = Math.min(visible - 1, Math.max(0, this.cursorRank() + direction * step));
		this.#stopFollowing(this.#at(cursor), this.#at(Math.max(nextBottom, cursor)));
		// The cursor stays on screen: a bottom moved above it is moved back down to it.
		if (this.cursorRank() < this.#topFor(this.#bottomRank())) {
			this.#bottom = this.#at(this.#bottomFor(this.cursorRank()));
		}
	}

	/**
	 * Puts the cursor on a found line a third of the way down the screen, so what follows it (a stack
	 * trace after an ERROR) is in view, as vim and less leave context after a match.
	 */
	showFound(position: number): void {
		this.jumpTo(position);
		const cursorRank = this.cursorRank();
		const heights = this.#heights();
		let used = heights(cursorRank);
		let top = cursorRank;
		while (top > 0 && used + heights(top - 1) <= Math.floor(this.#size.rows / 3)) {
			top--;
			used += heights(top);
		}

		this.#bottom = this.#at(this.#bottomFor(top));
	}

	/** A screen forward (the line after the bottom goes to the top) or back; forward onto the newest line follows live. */
	page(direction: 1 | -1): void {
		const visible = this.visibleCount();
		if (visible === 0 || (this.following && direction === 1)) {
			return;
		}

		const bottomRank = this.#bottomRank();
		const top = direction === 1 ? Math.min(visible - 1, bottomRank + 1) : this.#topFor(Math.max(0, this.#topFor(bottomRank) - 1));
		const bottom = this.#bottomFor(top);
		if (direction === 1 && bottom === visible - 1 && this.#mayFollow()) {
			this.followLive();
			return;
		}

		this.#stopFollowing(this.#at(top), this.#at(bottom));
	}

	top(): void {
		if (this.visibleCount() > 0) {
			this.#stopFollowing(this.#at(0), this.#at(this.#bottomFor(0)));
		}
	}

	/** Freezes what the pane shows at the newest line held; pausing a paused pane changes nothing. */
	pause(): void {
		if (this.paused) {
			return;
		}

		const last = this.#index.shown.at(this.visibleCount() - 1);
		const cursor = this.following ? last : this.#index.shown.at(this.cursorRank());
		const bottom = this.following ? last : this.#index.shown.at(this.#bottomRank());
		this.paused = true;
		this.#frozenEnd = this.#window.end;
		this.following = false;
		this.#cursor = cursor ?? -1;
		this.#bottom = bottom ?? -1;
	}

	followLive(): void {
		this.paused = false;
		this.following = true;
	}

	/** Stops following where the view is (the window no longer reaches the live end). */
	holdView(): void {
		if (this.following) {
			const last = this.#index.shown.at(this.visibleCount() - 1);
			this.#stopFollowing(last ?? -1, last ?? -1);
		}
	}

	/** Puts the cursor on a position (stopping follow) and scrolls just enough to show it. */
	jumpTo(position: number): void {
		if (this.following) {
			this.#bottom = this.#at(this.visibleCount() - 1);
		}

		this.following = false;
		this.#cursor = position;
		const cursorRank = this.cursorRank();
		const bottomRank = this.#bottomRank();
		if (cursorRank > bottomRank) {
			this.#bottom = position;
		} else if (cursorRank < this.#topFor(bottomRank)) {
			this.#bottom = this.#at(this.#bottomFor(cursorRank));
		}
	}

	toggleWrap(): void {
		this.wrap = !this.wrap;
		this.hscroll = 0;
	}

	/** Sideways with wrap off, no further than the widest line on screen goes (`l` stopped nowhere). */
	scrollSideways(columns: number): void {
		if (!this.wrap) {
			this.hscroll = Math.max(0, Math.min(this.#sidewaysRoom(), this.hscroll + columns));
		}
	}

	/** `0` / `$`: the start of the lines, or as far as the widest one on screen ends. */
	scrollToLineEdge(end: boolean): void {
		if (!this.wrap) {
			this.hscroll = end ? this.#sidewaysRoom() : 0;
		}
	}

	/** The rows on screen at `now`, as pure data. Costs the rows shown, never the whole window. */
	snapshot(now: number): PaneSnapshot {
		const visible = this.visibleCount();
		const rows: Row[] = [];
		const gutter = this.#gutter();
		if (visible === 0) {
			return {rows, following: this.following, paused: this.paused, below: 0, visible: 0, gutter};
		}

		const height = this.#size.rows;
		const bottomRank = this.#bottomRank();
		const cursorRank = this.following ? -1 : this.cursorRank();
		const options: RowOptions = {...this.#rowOptions(now), highlight: this.#index.search};
		const rowsOf = (rank: number) => {
			const position = this.#at(rank);
			const line = lineRows(this.#window.get(position)!, position, options, rank === cursorRank, this.#layout);
			const marked = gutter && this.#marks!.has(position);
			const context = this.#index.isContext(position);
			if (marked || context) {
				for (const row of line) {
					Object.assign(row, marked ? {marked} : {}, context ? {context} : {});
				}
			}

			const marker = heldMarker(this.#window, this.#index, rank);
			return marker === undefined ? line : [markerRow(marker, position, line[0]!.time.length, options.width), ...line];
		};

		this.#layout.nextFrame();
		for (let rank = bottomRank; rank >= 0 && rows.length < height; rank--) {
			rows.unshift(...rowsOf(rank));
		}

		rows.splice(0, Math.max(0, rows.length - height));
		// Near the top of the window the screen may not be full: show the lines after the anchor too.
		let below = visible - 1 - bottomRank;
		for (let next = bottomRank + 1; next < visible && rows.length < height; next++, below--) {
			rows.push(...rowsOf(next));
		}

		rows.splice(height);
		return {rows, following: this.following, paused: this.paused, below: Math.max(0, below), visible, gutter};
	}

	/**
	 * The time column of the rows on screen as they would read at `now`: the once-a-second clock redraws
	 * only when this (or the status line) would change, so quiet panes whose times read `5m ago` cost
	 * nothing between minutes. Reads the screen's lines; changes nothing.
	 */
	timeSignature(now: number): string {
		if (this.timestamps !== 'relative') {
			return '';
		}

		return this.#screenLines()
			.map((line) => formatTimestamp(line.timestamp, 'relative', now))
			.join('|');
	}

	/**
	 * A line takes at most the pane's rows, the last saying it goes on: a line taller than the pane then
	 * shows its start, where the screen is anchored at the bottom, rather than its cut end.
	 */
	#rowOptions(now: number): Omit<RowOptions, 'highlight'> {
		const {rows} = this.#size;
		// The gutter, while any line is marked, takes a column from the text (vim's signcolumn=auto).
		const width = Math.max(1, this.#size.width - (this.#gutter() ? 1 : 0));
		return {width, wrap: this.wrap, hscroll: this.hscroll, timestamps: this.timestamps, now, ownLabel: this.#ownLabel, maxRows: Math.max(1, rows)};
	}

	/** Whether rows have a gutter column: while the pane holds a marked line. */
	#gutter(): boolean {
		return this.#marks !== undefined && this.#marks.size > 0;
	}

	/** Paused, going down onto the newest line does not resume: `G` or the pause key does. */
	#mayFollow(): boolean {
		return !this.paused && this.#window.liveHeld;
	}

	/** The lines on screen, top to bottom (the rows of a snapshot, without laying them out). */
	#screenLines(): PaneLine[] {
		const visible = this.visibleCount();
		if (visible === 0) {
			return [];
		}

		const bottomRank = this.#bottomRank();
		const top = this.#topFor(bottomRank);
		const last = top === 0 ? this.#bottomFor(0) : bottomRank;
		const lines: PaneLine[] = [];
		for (let rank = top; rank <= last; rank++) {
			lines.push(this.#window.get(this.#at(rank))!);
		}

		return lines;
	}

	/** How far the widest line on screen reaches past the pane's edge (0 when none does): where `l` and `$` stop. */
	#sidewaysRoom(): number {
		const options = this.#rowOptions(this.#clock());
		let room = 0;
		for (const line of this.#screenLines()) {
			const {columns, textWidth} = lineSpan(line, options);
			room = Math.max(room, columns - textWidth + 1);
		}

		return room;
	}

	#at(rank: number): number {
		return this.#index.shown.at(rank)!;
	}

	#stopFollowing(cursor: number, bottom: number): void {
		this.following = false;
		this.#cursor = cursor;
		this.#bottom = bottom;
	}

	/** Rank of a position in the visible part of the index; the nearest line before it when hidden. */
	#rankOf(position: number): number {
		const visible = this.visibleCount();
		if (this.following || visible === 0) {
			return Math.max(0, visible - 1);
		}

		return Math.min(visible - 1, Math.max(0, this.#index.shown.rankAtOrBefore(position)));
	}

	#bottomRank(): number {
		return this.#rankOf(this.#bottom);
	}

	/** Rows each shown line takes at the current size and clock, its marker included. */
	#heights(): (rank: number) => number {
		const options = this.#rowOptions(this.#clock());
		return (rank) => lineHeight(this.#window.get(this.#at(rank))!, options, this.#layout) + (heldMarker(this.#window, this.#index, rank) === undefined ? 0 : 1);
	}

	/** The top rank of a screen whose bottom line is `bottomRank`. */
	#topFor(bottomRank: number): number {
		const heights = this.#heights();
		let used = 0;
		let rank = bottomRank;
		for (; rank >= 0; rank--) {
			used += heights(rank);
			if (used > this.#size.rows && rank !== bottomRank) {
				break;
			}
		}

		return rank + 1;
	}

	/** The bottom rank of a screen whose top line is `topRank`. */
	#bottomFor(topRank: number): number {
		const visible = this.visibleCount();
		const heights = this.#heights();
		let used = 0;
		let rank = topRank;
		for (; rank < visible; rank++) {
			used += heights(rank);
			if (used > this.#size.rows && rank !== topRank) {
				break;
			}
		}

		return rank - 1;
	}
}
