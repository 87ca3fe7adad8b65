import type {Level} from '../protocol/levels.js';
import type {LogRecord} from '../protocol/record.js';
import {nextContext} from './context-groups.js';
import {LineIndex, type IndexingProgress} from './line-index.js';
import {LineWindow, type WindowEntry} from './line-window.js';
import {toPaneLine, type PaneLine} from './pane-line.js';
import {PaneMarks} from './pane-marks.js';
import {PaneViewport, type PaneSnapshot, type ViewSize} from './pane-viewport.js';
import {QuietGap, quietMessage} from './quiet-gap.js';
import type {SlicedRunOptions} from './sliced-run.js';
import type {TimestampMode} from './timestamps.js';

export const DEFAULT_SCROLLBACK = 10_000;

export type PaneStoreOptions = {
	scrollback?: number;
	level?: Level;
	ownLabel?: string;
	withEntity?: boolean;
	/** The clock scrolling reads (relative and absolute times change the time column's width); tests fix it. */
	clock?: () => number;
	/**
	 * A new filter or search over a large window is indexed in slices, between which keys are read:
	 * `onSlice` is told after each one (the pane draws what is indexed so far); tests may drive the slices.
	 */
	slices?: SlicedRunOptions;
	/** `--quiet-mark`: a pause in the live stream longer than this many seconds is marked in line (0: never). */
	quietMark?: number;
};

/** When a live line arrived, for the quiet marks: `live` is false for a connection's replay (quiet-gap.ts). */
export type Arrival = {now: number; live: boolean};

/** Records as a history page brings them: ascending by id, and whether more lie beyond. */
export type RecordPage = {records: LogRecord[]; more: boolean};

/**
 * How the view moved, for whoever fills the window from history: `top` (`g`), `bottom` (`G`, resume), or
 * up or down (a line, a page, the wheel, a jump), after which the cursor may be near an end held.
 */
export type ViewMove = 'top' | 'bottom' | 'up' | 'down';

/**
 * `n` / `N` with no further hit held before an edge of what is held (the oldest or newest line held that is
 * not the run's end, or a hole): the history is searched from `from`, the id at that edge, in `direction`;
 * `hole` is the hole crossed, whose far side is given up when the match is loaded.
 */
export type SearchBeyond = {direction: 1 | -1; from: string; hole?: number};

/** What `n` / `N` did: `searching` when the match lies beyond what is held and the history is being searched. */
export type MatchJump = 'none' | 'found' | 'wrapped' | 'searching';

const way = (direction: number): ViewMove => (direction < 0 ? 'up' : 'down');

/**
 * One pane's model, outside React, in three parts: the line window (what is held, keyed by record id,
 * filled at both ends), the line index (what the filter and level let through, and the search hits), and
 * the viewport (cursor, follow, pause, wrap, at the size the workspace gives it). This class joins them:
 * lines go in through it, and the keys' moves that need two parts (a jump to a hit or an ERROR) live here.
 * Reads cost the rows on screen.
 */
export class PaneStore {
	readonly window: LineWindow;
	readonly index: LineIndex;
	readonly view: PaneViewport;
	/** The lines marked with `m` (`has(position)`, `size`): `u` / `U` go to them, a save writes only them. */
	readonly marks: PaneMarks;
	readonly ownLabel?: string;
	/** Told after every move of the view (the pane's history pager listens). */
	onMove?: (move: ViewMove) => void;
	/** Asked to search the history past what is held (the pager answers, true when it started); see SearchBeyond. */
	onSearchBeyond?: (request: SearchBeyond) => boolean;
	/** Told when `n` / `N` put the cursor on a hit held (the pager asks the server which match of the run it is). */
	onMatch?: () => void;
	readonly #withEntity: boolean;
	readonly #quiet: QuietGap;

	constructor(options: PaneStoreOptions = {}) {
		this.ownLabel = options.ownLabel;
		this.#withEntity = options.withEntity ?? false;
		this.window = new LineWindow(options.scrollback ?? DEFAULT_SCROLLBACK);
		// A task's (artifact's) pane, or `all`'s, holds part of a run or many: `seq` does not count its lines.
		this.window.seqCountsLines = options.ownLabel === undefined && !this.#withEntity;
		this.index = new LineIndex(this.window, {level: options.level, ownLabel: options.ownLabel, slices: options.slices});
		this.marks = new PaneMarks(this.window);
		this.view = new PaneViewport(this.window, this.index, {ownLabel: options.ownLabel, clock: options.clock, marks: this.marks});
		this.#quiet = new QuietGap(options.quietMark);
	}

	get filterText(): string {
		return this.index.filterText;
	}

	get filterError(): string | undefined {
		return this.index.filterError;
	}

	get levelFloor(): Level | undefined {
		return this.index.levelFloor;
	}

	get searchText(): string {
		return this.index.searchText;
	}

	get searchError(): string | undefined {
		return this.index.searchError;
	}

	get following(): boolean {
		return this.view.following;
	}

	get paused(): boolean {
		return this.view.paused;
	}

	get wrap(): boolean {
		return this.view.wrap;
	}

	get hscroll(): number {
		return this.view.hscroll;
	}

	/** Lines that arrived, passing the filter, since the pane was paused. */
	get newWhilePaused(): number {
		return this.view.newWhilePaused;
	}

	/**
	 * How far a new filter or search has been applied, while it is being applied (undefined once done):
	 * the pane shows the newest lines that pass so far, and its title or the status bar says `filtering… 40%`.
	 */
	get indexing(): IndexingProgress | undefined {
		return this.index.indexing;
	}

	/** Resolves when the filter and search are applied to every line held. */
	async indexed(): Promise<void> {
		await this.index.indexed();
	}

	get shownCount(): number {
		return this.index.shown.length;
	}

	/** Lines the filter and level floor let through, the context around them not counted. */
	get matchCount(): number {
		return this.index.matched.length;
	}

	/** Lines of context asked for around each filter match (`C`). */
	get context(): number {
		return this.index.context;
	}

	get hitCount(): number {
		return this.index.hits.length;
	}

	/**
	 * A record from the stream. With its `arrival`, a long pause before it in the live stream is marked
	 * first by a quiet notice (quiet-gap.ts): a line of the window like any notice, flagged `quiet`.
	 */
	append(record: LogRecord, arrival?: Arrival): void {
		const gap = arrival ? this.#quiet.heard(arrival.now, arrival.live) : undefined;
		if (gap !== undefined) {
			this.#add({line: {timestamp: new Date(arrival!.now).toISOString(), level: 'INFO', message: quietMessage(gap), notice: true, quiet: true}});
		}

		this.#add({line: toPaneLine(record, this.#withEntity), id: record.id, seq: record.seq});
	}

	/** A stream notice, shown in line with the logs; filters and floors never hide it. */
	appendNotice(message: string, timestamp = new Date().toISOString()): void {
		this.#add({line: {timestamp, level: 'INFO', message, notice: true}});
	}

	/**
	 * A history page of the lines before the oldest held (`adjacent: false`: from further back, with a hole
	 * between). When the window is full its newest lines make room, and the pane stops following.
	 */
	fillBefore(page: RecordPage, adjacent = true): number {
		const from = this.window.first;
		const added = this.window.fillBefore(this.#entries(page.records), {more: page.more, adjacent});
		if (!this.window.liveHeld) {
			this.view.holdView();
		}

		this.index.prepended(this.window.first, Math.min(from, this.window.end));
		return added;
	}

	/**
	 * A history page of the lines after the newest held (`adjacent: false`: the newest of the stream, with a
	 * hole between unless they meet); `more: false` brings the window back to the live end.
	 */
	fillAfter(page: RecordPage, adjacent = true): number {
		const from = this.window.end;
		const added = this.window.fillAfter(this.#entries(page.records), page.more, adjacent);
		for (let position = Math.max(from, this.window.first); position < this.window.end; position++) {
			this.index.appended(position);
		}

		return added;
	}

	/** Gives up the lines from `position` to the newest (the far side of a hole below, read again later). */
	dropFrom(position: number): void {
		this.window.dropFrom(position);
		this.index.trim();
	}

	/** Gives up the lines older than `position` (the far side of a hole above). */
	dropBelow(position: number): void {
		this.window.dropBelow(position);
		this.index.trim();
	}

	setFilter(text: string): void {
		this.index.setFilter(text);
	}

	setLevelFloor(level: Level | undefined): void {
		this.index.setLevelFloor(level);
	}

	stepLevel(step: 1 | -1): void {
		this.index.stepLevel(step);
	}

	setSearch(text: string): void {
		this.index.setSearch(text);
	}

	/** Lines of context around filter matches (a pane put in another's place keeps its context). */
	setContext(lines: number): void {
		this.index.setContext(lines);
	}

	/** `C`: the next of 0, 3 and 10 lines of context around filter matches; returns it. */
	cycleContext(): number {
		this.index.setContext(nextContext(this.index.context));
		return this.index.context;
	}

	/** `m`: marks the cursor line, or unmarks it; undefined when there is no line. */
	toggleMark(): boolean | undefined {
		const position = this.view.cursorPosition();
		return position === undefined ? undefined : this.marks.toggle(position);
	}

	/**
	 * `u` / `U`: the cursor to the next (1) or previous (-1) marked line the pane shows (a mark the filter
	 * hides is stepped over). False when there is none that way.
	 */
	jumpToMark(direction: 1 | -1): boolean {
		const limit = this.view.limit();
		// Following live, the cursor is past the newest line: `U` may find that very line.
		const from = this.view.following ? limit : (this.view.cursorPosition() ?? limit);
		const {shown} = this.index;
		const position = this.marks.next(from, direction, (each) => each < limit && shown.at(shown.lowerBound(each)) === each);
		if (position === undefined) {
			return false;
		}

		this.view.showFound(position);
		this.#moved(way(direction));
		return true;
	}

	/**
	 * Moves the cursor to the next (1) or previous (-1) search hit, wrapping around (and says so). Where lines
	 * not held lie between the cursor and that hit (a hole, or the run beyond the window's end), the history
	 * is searched there instead (`searching`): the pane lands on the match when it is found.
	 */
	jumpToMatch(direction: 1 | -1, includeCursor = false, beyond = true): MatchJump {
		const request = beyond && this.index.search !== undefined && this.onSearchBeyond ? this.#searchBeyond(direction) : undefined;
		if (request && this.onSearchBeyond!(request)) {
			return 'searching';
		}

		const {hits} = this.index;
		const visibleHits = hits.lowerBound(this.view.limit());
		if (visibleHits === 0) {
			return 'none';
		}

		const from = this.view.cursorPosition() ?? 0;
		let rank: number;
		let wrapped: boolean;
		if (direction === 1) {
			rank = hits.lowerBound(includeCursor ? from : from + 1);
			wrapped = rank >= visibleHits;
			rank = wrapped ? 0 : rank;
		} else {
			rank = hits.lowerBound(includeCursor ? from + 1 : from) - 1;
			wrapped = rank < 0;
			rank = wrapped ? visibleHits - 1 : rank;
		}

		this.view.showFound(hits.at(rank)!);
		this.#moved(way(wrapped ? -direction : direction));
		this.onMatch?.();
		return wrapped ? 'wrapped' : 'found';
	}

	/** A record as this pane would show it: whether it passes the filter and level and the search hits it. */
	showsHit(record: LogRecord): boolean {
		return this.index.showsHit(toPaneLine(record, this.#withEntity));
	}

	/** Puts the cursor on a line found in the history (`n` past what was held), as on any hit. */
	showMatch(position: number, direction: 1 | -1): void {
		this.view.showFound(position);
		this.#moved(way(direction));
	}

	/** Where `n` / `N` must search the history: lines not held between the cursor and the next hit held that way. */
	#searchBeyond(direction: 1 | -1): SearchBeyond | undefined {
		const {window, view, index} = this;
		const {hits} = index;
		const visibleHits = hits.lowerBound(view.limit());
		if (direction === 1) {
			if (view.following) {
				return undefined;
			}

			const from = view.cursorPosition() ?? window.first - 1;
			const rank = hits.lowerBound(from + 1);
			const next = rank < visibleHits ? hits.at(rank) : undefined;
			const hole = window.holeAfter(from);
			if (hole !== undefined && (next === undefined || next >= hole)) {
				const edge = window.idAtOrBefore(hole - 1);
				return edge === undefined ? undefined : {direction, from: edge, hole};
			}

			const newest = window.newestId();
			return next === undefined && !window.liveHeld && newest !== undefined ? {direction, from: newest} : undefined;
		}

		const from = view.following ? window.end : (view.cursorPosition() ?? window.end);
		const rank = Math.min(hits.lowerBound(from), visibleHits) - 1;
		const previous = rank >= 0 ? hits.at(rank) : undefined;
		const hole = window.holeAtOrBefore(from);
		if (hole !== undefined && (previous === undefined || previous < hole)) {
			const edge = window.idAtOrAfter(hole);
			return edge === undefined ? undefined : {direction, from: edge, hole};
		}

		const oldest = window.oldestId();
		return previous === undefined && window.earlierLines() !== 0 && oldest !== undefined ? {direction, from: oldest} : undefined;
	}

	/** Which hit the cursor is on (1-based) and how many there are: `3/10` in the status bar. */
	hitPlace(): {at: number; of: number} | undefined {
		const {hits} = this.index;
		const of = hits.lowerBound(this.view.limit());
		const cursor = this.view.cursorPosition();
		if (of === 0 || cursor === undefined || this.view.following) {
			return of === 0 ? undefined : {at: 0, of};
		}

		const rank = hits.lowerBound(cursor);
		return {at: rank < of && hits.at(rank) === cursor ? rank + 1 : 0, of};
	}

	/** Moves the cursor to the next (1) or previous (-1) ERROR or FATAL line. False when there is none. */
	jumpToError(direction: 1 | -1): boolean {
		const visible = this.view.visibleCount();
		// Following live, the cursor is past the newest line: `E` may find that very line.
		const from = this.view.following && direction === -1 ? visible : this.view.cursorRank() + direction;
		for (let rank = from === visible ? visible - 1 : from; rank >= 0 && rank < visible; rank += direction) {
			const position = this.index.shown.at(rank)!;
			const line = this.window.peek(position)!;
			if (!line.notice && (line.level === 'ERROR' || line.level === 'FATAL')) {
				this.view.showFound(position);
				this.#moved(way(direction));
				return true;
			}
		}

		return false;
	}

	/** Pause freezes what the pane shows while the window keeps filling; resuming jumps to live. */
	togglePause(): void {
		this.setPaused(!this.view.paused);
	}

	setPaused(paused: boolean): void {
		if (paused) {
			this.view.pause();
		} else {
			this.followLive();
		}
	}

	/** Scrolls by lines; scrolling up stops following. */
	scroll(lines: number): void {
		this.view.moveCursor(lines);
		this.#moved(way(lines));
	}

	page(direction: 1 | -1): void {
		this.view.page(direction);
		this.#moved(way(direction));
	}

	halfPage(direction: 1 | -1): void {
		this.view.halfPage(direction);
		this.#moved(way(direction));
	}

	/** `g`: the oldest line held (and, with a history, the run's first line once it is read). */
	top(): void {
		this.view.top();
		this.#moved('top');
	}

	/** `G`: back to the newest line, following live (and no longer paused). */
	followLive(): void {
		this.view.followLive();
		this.#moved('bottom');
	}

	toggleWrap(): void {
		this.view.toggleWrap();
	}

	scrollSideways(columns: number): void {
		this.view.scrollSideways(columns);
	}

	scrollToLineEdge(end: boolean): void {
		this.view.scrollToLineEdge(end);
	}

	/** The line under the cursor (the newest when following). */
	cursorLine(): PaneLine | undefined {
		const position = this.view.cursorPosition();
		return position === undefined ? undefined : this.window.get(position);
	}

	/** The pane's text area, from the workspace's layout. */
	resize(size: ViewSize): void {
		this.view.resize(size);
	}

	setTimestamps(mode: TimestampMode): void {
		this.view.timestamps = mode;
	}

	/** The rows on screen at `now`, as pure data. Costs the rows shown, never the whole window. */
	snapshot(now: number): PaneSnapshot {
		return this.view.snapshot(now);
	}

	/** The time column on screen as it reads at `now` (see PaneViewport.timeSignature). */
	timeSignature(now: number): string {
		return this.view.timeSignature(now);
	}

	#moved(move: ViewMove): void {
		this.onMove?.(move);
	}

	#add(entry: WindowEntry): void {
		const position = this.window.append(entry);
		if (position !== undefined) {
			this.index.appended(position);
		}
	}

	#entries(records: LogRecord[]): WindowEntry[] {
		return records.map((record) => ({line: toPaneLine(record, this.#withEntity), id: record.id, seq: record.seq}));
	}
}

export type {PaneSnapshot, ViewSize} from './pane-viewport.js';
export type {IndexingProgress} from './line-index.js';
