import type {Level} from '../protocol/levels.js';
import {meetsFloor} from '../protocol/levels.js';
import type {LogRecord} from '../protocol/record.js';
import {IndexList} from './index-list.js';
import {compilePattern, filterPasses, patternHits, type LinePattern} from './line-pattern.js';
import {stepLevelFloor} from './level-floor.js';
import {toPaneLine, type PaneLine} from './pane-line.js';
import {PaneViewport, type PaneSnapshot, type ViewOptions} from './pane-viewport.js';
import {RingBuffer} from './ring-buffer.js';

export const DEFAULT_SCROLLBACK = 10_000;

export type PaneStoreOptions = {scrollback?: number; level?: Level; ownLabel?: string; withEntity?: boolean};

/**
 * Everything one pane knows, outside React: the ring buffer of lines, an index of the positions the
 * filter and level floor let through, an index of search hits, and pause / follow / cursor. New lines are
 * tested once as they arrive; a new filter re-scans the buffer once. Reads cost the rows on screen.
 */
export class PaneStore {
	readonly buffer: RingBuffer<PaneLine>;
	readonly ownLabel?: string;
	readonly #withEntity: boolean;
	filterText = '';
	filterError?: string;
	levelFloor?: Level;
	searchText = '';
	searchError?: string;
	wrap = true;
	hscroll = 0;
	#filter?: LinePattern;
	#search?: LinePattern;
	readonly #shown = new IndexList();
	readonly #hits = new IndexList();
	readonly #view: PaneViewport;

	constructor(options: PaneStoreOptions = {}) {
		this.buffer = new RingBuffer(options.scrollback ?? DEFAULT_SCROLLBACK);
		this.levelFloor = options.level;
		this.ownLabel = options.ownLabel;
		this.#withEntity = options.withEntity ?? false;
		this.#view = new PaneViewport(this.buffer, this.#shown, () => this.#limit());
	}

	get following(): boolean {
		return this.#view.following;
	}

	get paused(): boolean {
		return this.#view.paused;
	}

	/** Lines that arrived, passing the filter, since the pane was paused. */
	get newWhilePaused(): number {
		return this.#view.paused ? this.#shown.length - this.#shown.lowerBound(this.#limit()) : 0;
	}

	/** Text rows the pane was last drawn with (half-page moves use it). */
	get viewRows(): number {
		return this.#view.options.rows;
	}

	get shownCount(): number {
		return this.#shown.length;
	}

	get hitCount(): number {
		return this.#hits.length;
	}

	append(record: LogRecord): void {
		this.#add(toPaneLine(record, this.#withEntity));
	}

	/** A stream notice, shown in line with the logs; filters and floors never hide it. */
	appendNotice(message: string, timestamp = new Date().toISOString()): void {
		this.#add({timestamp, level: 'INFO', message, notice: true});
	}

	/** Applies a filter as typed. Invalid regex: reported in filterError, the last valid filter stays. */
	setFilter(text: string): void {
		this.filterText = text;
		const {pattern, error} = compilePattern(text, {allowExclude: true});
		this.filterError = error;
		if (error === undefined) {
			this.#filter = pattern;
			this.#rebuild();
		}
	}

	setLevelFloor(level: Level | undefined): void {
		this.levelFloor = level;
		this.#rebuild();
	}

	stepLevel(step: 1 | -1): void {
		this.setLevelFloor(stepLevelFloor(this.levelFloor, step));
	}

	/** Highlights matches without hiding lines. Invalid regex: reported, the last valid search stays. */
	setSearch(text: string): void {
		this.searchText = text;
		const {pattern, error} = compilePattern(text, {allowExclude: false});
		this.searchError = error;
		if (error === undefined) {
			this.#search = pattern;
			this.#rebuildHits();
		}
	}

	/** Moves the cursor to the next (1) or previous (-1) search hit, wrapping around (and says so). */
	jumpToMatch(direction: 1 | -1, includeCursor = false): 'none' | 'found' | 'wrapped' {
		const visibleHits = this.#hits.lowerBound(this.#limit());
		if (visibleHits === 0) {
			return 'none';
		}

		const from = this.#view.cursorPosition() ?? 0;
		let rank: number;
		let wrapped: boolean;
		if (direction === 1) {
			rank = this.#hits.lowerBound(includeCursor ? from : from + 1);
			wrapped = rank >= visibleHits;
			rank = wrapped ? 0 : rank;
		} else {
			rank = this.#hits.lowerBound(includeCursor ? from + 1 : from) - 1;
			wrapped = rank < 0;
			rank = wrapped ? visibleHits - 1 : rank;
		}

		this.#view.showFound(this.#hits.at(rank)!);
		return wrapped ? 'wrapped' : 'found';
	}

	/** Which hit the cursor is on (1-based) and how many there are: `3/10` in the status bar. */
	hitPlace(): {at: number; of: number} | undefined {
		const of = this.#hits.lowerBound(this.#limit());
		const cursor = this.#view.cursorPosition();
		if (of === 0 || cursor === undefined || this.#view.following) {
			return of === 0 ? undefined : {at: 0, of};
		}

		const rank = this.#hits.lowerBound(cursor);
		return {at: rank < of && this.#hits.at(rank) === cursor ? rank + 1 : 0, of};
	}

	/** Moves the cursor to the next (1) or previous (-1) ERROR or FATAL line. False when there is none. */
	jumpToError(direction: 1 | -1): boolean {
		const count = this.#view.visibleCount();
		// Following live, the cursor is past the newest line: `E` may find that very line.
		const from = this.#view.following && direction === -1 ? count : this.#view.cursorRank() + direction;
		for (let rank = from === count ? count - 1 : from; rank >= 0 && rank < count; rank += direction) {
			const position = this.#shown.at(rank)!;
			const line = this.buffer.get(position)!;
			if (!line.notice && (line.level === 'ERROR' || line.level === 'FATAL')) {
				this.#view.showFound(position);
				return true;
			}
		}

		return false;
	}

	/** Pause freezes what the pane shows while the buffer keeps filling; resuming jumps to live. */
	togglePause(): void {
		this.setPaused(!this.#view.paused);
	}

	setPaused(paused: boolean): void {
		if (paused) {
			this.#view.pause(this.buffer.end);
		} else {
			this.#view.followLive();
		}
	}

	/** Scrolls by lines; scrolling up stops following. */
	scroll(lines: number): void {
		this.#view.moveCursor(lines);
	}

	page(direction: 1 | -1): void {
		this.#view.page(direction);
	}

	halfPage(direction: 1 | -1): void {
		this.#view.halfPage(direction);
	}

	top(): void {
		this.#view.top();
	}

	/** `G`: back to the newest line, following live (and no longer paused). */
	followLive(): void {
		this.#view.followLive();
	}

	toggleWrap(): void {
		this.wrap = !this.wrap;
		this.hscroll = 0;
	}

	/** Sideways with wrap off, no further than the widest line on screen goes (`l` stopped nowhere). */
	scrollSideways(columns: number): void {
		if (!this.wrap) {
			this.hscroll = Math.max(0, Math.min(this.#view.sidewaysRoom, this.hscroll + columns));
		}
	}

	/** `0` / `$`: the start of the lines, or as far as the widest one on screen ends. */
	scrollToLineEdge(end: boolean): void {
		if (!this.wrap) {
			this.hscroll = end ? this.#view.sidewaysRoom : 0;
		}
	}

	/** The line under the cursor (the newest when following). */
	cursorLine(): PaneLine | undefined {
		const position = this.#view.cursorPosition();
		return position === undefined ? undefined : this.buffer.get(position);
	}

	/** Sets the size the pane is drawn at and how rows are laid out; scrolling math uses it. */
	setView(options: ViewOptions): void {
		this.#view.options = {...options, wrap: this.wrap, hscroll: this.hscroll, ownLabel: this.ownLabel};
	}

	/** The rows on screen, as pure data. Costs the rows shown, never the whole buffer. */
	snapshot(options: ViewOptions): PaneSnapshot {
		this.setView(options);
		return this.#view.snapshot(this.#search?.regex);
	}

	/**
	 * One past the newest line the pane may show. Paused: the pause point, unless a busy stream has
	 * pushed the frozen lines out of scrollback; then the oldest lines still held (a screenful), rather
	 * than an empty pane.
	 */
	/**
	 * The time column of the rows on screen as they would read at `now` (at the size last drawn): the
	 * once-a-second clock redraws only when this or the status line would change, so quiet panes whose
	 * times read `5m ago` cost nothing between minutes.
	 */
	timeSignature(now: number): string {
		const drawn = this.#view.options;
		if (drawn.timestamps !== 'relative') {
			return '';
		}

		this.#view.options = {...drawn, now};
		const times = this.#view.snapshot(undefined).rows.map((row) => row.time);
		this.#view.options = drawn;
		return times.join('|');
	}

	#limit(): number {
		if (!this.#view.paused) {
			return this.buffer.end;
		}

		const {frozenEnd} = this.#view;
		return frozenEnd > this.buffer.first || this.buffer.evicted === 0 ? frozenEnd : Math.min(this.buffer.end, this.buffer.first + this.viewRows);
	}

	#passes(line: PaneLine): boolean {
		return line.notice || (meetsFloor(line.level, this.levelFloor) && filterPasses(this.#filter, line, this.ownLabel));
	}

	#add(line: PaneLine): void {
		const evictedBefore = this.buffer.evicted;
		const position = this.buffer.push(line);
		if (this.buffer.evicted !== evictedBefore) {
			this.#shown.dropBelow(this.buffer.first);
			this.#hits.dropBelow(this.buffer.first);
		}

		if (this.#passes(line)) {
			this.#shown.push(position);
			if (this.#search && !line.notice && patternHits(this.#search, line, this.ownLabel)) {
				this.#hits.push(position);
			}
		}
	}

	#rebuild(): void {
		this.#shown.clear();
		for (let position = this.buffer.first; position < this.buffer.end; position++) {
			if (this.#passes(this.buffer.get(position)!)) {
				this.#shown.push(position);
			}
		}

		this.#rebuildHits();
	}

	#rebuildHits(): void {
		this.#hits.clear();
		if (!this.#search) {
			return;
		}

		for (let rank = 0; rank < this.#shown.length; rank++) {
			const position = this.#shown.at(rank)!;
			const line = this.buffer.get(position)!;
			if (!line.notice && patternHits(this.#search, line, this.ownLabel)) {
				this.#hits.push(position);
			}
		}
	}
}

export type {PaneSnapshot} from './pane-viewport.js';
