import {meetsFloor, type Level} from '../protocol/levels.js';
import {stepLevelFloor} from './level-floor.js';
import {compilePattern, filterPasses, patternHits, type LinePattern} from './line-pattern.js';
import type {Look} from './look.js';
import {MergedIndex, type MergedSource} from './merged-index.js';
import {MergedViewport} from './merged-viewport.js';
import type {PaneLine} from './pane-line.js';
import {lineRows, lineSpan, type Row, type RowOptions} from './rows.js';
import type {TimestampMode} from './timestamps.js';

/** A pane as the merged view shows it: its number on screen (1 for the first pane) besides its window. */
export type MergedPane = MergedSource & {number: number};

/** A row of the merged view: the pane's number in its color, then the row as a pane draws it. */
export type MergedRow = {pane: number; row: Row};

export type MergedSnapshot = {rows: MergedRow[]; following: boolean; paused: boolean; newWhilePaused: number; below: number; visible: number};

/** The hues of pane numbers, by number: none of them a level's red, all 16-color safe. */
const PANE_COLORS = ['cyan', 'magenta', 'green', 'blue', 'yellow'] as const;

export function paneLook(number: number): Look {
	return {color: PANE_COLORS[(number - 1) % PANE_COLORS.length]!, bold: true};
}

/** Columns the pane number takes before each row: `2 `. */
export const PANE_COLUMN = 2;

/**
 * `M`: the lines of every open pane in one view, ordered by time (merged-index.ts), with a filter, level
 * floor and search of its own and its own cursor, follow and pause (merged-viewport.ts). The panes keep
 * theirs: the view reads their windows and changes nothing in them. Drawing costs the rows on screen
 * and the lines that arrived since the last frame.
 */
export class MergedView {
	filterText = '';
	filterError?: string;
	levelFloor?: Level;
	searchText = '';
	searchError?: string;
	wrap = true;
	hscroll = 0;
	readonly index = new MergedIndex();
	readonly viewport: MergedViewport;
	#filter?: LinePattern;
	#search?: LinePattern;
	#sources: readonly MergedPane[] = [];
	#size = {rows: 10, width: 80};
	readonly #panes: () => readonly MergedPane[];
	readonly #timestamps: () => TimestampMode;
	readonly #clock: () => number;

	constructor(panes: () => readonly MergedPane[], options: {timestamps: () => TimestampMode; clock?: () => number}) {
		this.#panes = panes;
		this.#timestamps = options.timestamps;
		this.#clock = options.clock ?? Date.now;
		this.viewport = new MergedViewport(this.index, (rank) => this.#lineAt(rank), () => this.rowOptions(this.#clock()), () => this.#size.rows);
		this.#setPredicate();
	}

	resize(size: {rows: number; width: number}): void {
		this.#size = {rows: Math.max(0, size.rows), width: Math.max(1, size.width)};
	}

	/** Takes what the panes' windows hold now: new lines placed by time, evicted ones dropped. */
	sync(): void {
		this.#sources = this.#panes();
		this.index.sync(this.#sources);
	}

	setFilter(text: string): string | undefined {
		this.filterText = text;
		const {pattern, error} = compilePattern(text, {allowExclude: true});
		this.filterError = error;
		if (error === undefined) {
			this.#filter = pattern;
			this.#setPredicate();
		}

		return error;
	}

	stepLevel(step: 1 | -1): void {
		this.levelFloor = stepLevelFloor(this.levelFloor, step);
		this.#setPredicate();
	}

	setSearch(text: string): string | undefined {
		this.searchText = text;
		const {pattern, error} = compilePattern(text, {allowExclude: false});
		this.searchError = error;
		if (error === undefined) {
			this.#search = pattern;
		}

		return error;
	}

	/** The line under the cursor (the newest while following), and its pane's number. */
	cursorLine(): {pane: number; line: PaneLine} | undefined {
		this.sync();
		const rank = this.viewport.cursorRank();
		const line = this.#lineAt(rank);
		const place = this.index.at(rank);
		return line && place ? {pane: this.#sources[place.source]!.number, line} : undefined;
	}

	/**
	 * `n` / `N`, `e` / `E`: the next line after (or before) the cursor that `wanted` says is one, going round
	 * once for the search. 'none' when no line shown is one. Scans the lines it passes.
	 */
	jump(direction: 1 | -1, wanted: 'match' | 'error'): 'found' | 'wrapped' | 'none' {
		this.sync();
		const visible = this.viewport.visibleCount();
		const test = wanted === 'match' ? (line: PaneLine) => this.#search !== undefined && patternHits(this.#search, line) : (line: PaneLine) => !line.notice && meetsFloor(line.level, 'ERROR');
		if (visible === 0 || (wanted === 'match' && !this.#search)) {
			return 'none';
		}

		const start = this.viewport.following && direction === -1 ? visible : this.viewport.cursorRank();
		const round = wanted === 'match' ? visible : direction === 1 ? visible - 1 - start : start;
		for (let step = 1; step <= round; step++) {
			const rank = (((start + direction * step) % visible) + visible) % visible;
			const line = this.#lineAt(rank);
			if (line && test(line)) {
				this.viewport.jumpTo(rank);
				return (direction === 1 && rank <= start) || (direction === -1 && rank >= start) ? 'wrapped' : 'found';
			}
		}

		return 'none';
	}

	toggleWrap(): void {
		this.wrap = !this.wrap;
		this.hscroll = 0;
	}

	/** Sideways with wrap off, no further than the widest line on screen goes. */
	scrollSideways(columns: number | 'start' | 'end'): void {
		if (this.wrap) {
			return;
		}

		this.sync();
		const options = this.rowOptions(this.#clock());
		const {top, bottom} = this.viewport.screen();
		let room = 0;
		for (let rank = top; rank <= bottom; rank++) {
			const line = this.#lineAt(rank);
			if (line) {
				const span = lineSpan(line, options);
				room = Math.max(room, span.columns - span.textWidth + 1);
			}
		}

		const wanted = columns === 'start' ? 0 : columns === 'end' ? room : this.hscroll + columns;
		this.hscroll = Math.max(0, Math.min(room, wanted));
	}

	/** The rows on screen at `now`. */
	snapshot(now: number): MergedSnapshot {
		this.sync();
		const {viewport} = this;
		const visible = viewport.visibleCount();
		const rows: MergedRow[] = [];
		const base = {following: viewport.following, paused: viewport.paused, newWhilePaused: viewport.newWhilePaused};
		if (visible === 0 || this.#size.rows === 0) {
			return {...base, rows, below: 0, visible};
		}

		const options: RowOptions = {...this.rowOptions(now), highlight: this.#search};
		const cursor = viewport.following ? -1 : viewport.cursorRank();
		const height = this.#size.rows;
		let unheld = false;
		const rowsOf = (rank: number): MergedRow[] => {
			const place = this.index.at(rank)!;
			const source = this.#sources[place.source]!;
			const line = source.window.get(place.position);
			if (!line) {
				unheld = true;
				return [];
			}

			return lineRows(line, place.position, options, rank === cursor, viewport.layout).map((row) => ({pane: source.number, row: {...row, key: `${source.id}.${row.key}`}}));
		};

		// From the bottom line up, as a pane draws: one layout per line on screen.
		viewport.layout.nextFrame();
		const bottom = viewport.bottomRank();
		for (let rank = bottom; rank >= 0 && rows.length < height && !unheld; rank--) {
			rows.unshift(...rowsOf(rank));
		}

		rows.splice(0, Math.max(0, rows.length - height));
		// Near the oldest line the screen may not be full: the lines after the anchor fill it.
		let below = visible - 1 - bottom;
		for (let next = bottom + 1; next < visible && rows.length < height && !unheld; next++, below--) {
			rows.push(...rowsOf(next));
		}

		if (unheld) {
			// A line evicted out of its window's time order: gone now, and the screen is drawn again from the rest.
			this.index.dropUnheld(this.#sources);
			return this.snapshot(now);
		}

		rows.splice(height);
		return {...base, rows, below: Math.max(0, below), visible};
	}

	rowOptions(now: number): RowOptions {
		const {width, rows} = this.#size;
		return {width: Math.max(1, width - PANE_COLUMN), wrap: this.wrap, hscroll: this.hscroll, timestamps: this.#timestamps(), now, maxRows: Math.max(1, rows)};
	}

	#lineAt(rank: number): PaneLine | undefined {
		const place = this.index.at(rank);
		return place && this.#sources[place.source]?.window.peek(place.position);
	}

	#setPredicate(): void {
		const filter = this.#filter;
		const floor = this.levelFloor;
		this.index.setPredicate((line) => line.notice || (meetsFloor(line.level, floor) && filterPasses(filter, line)));
	}
}
