import type {Level} from '../protocol/levels.js';
import {meetsFloor} from '../protocol/levels.js';
import {stepLevelFloor} from './level-floor.js';
import {compilePattern, filterPasses, patternHits, type LinePattern} from './line-pattern.js';
import {ContextLines} from './context-groups.js';
import {IndexList} from './index-list.js';
import type {LineWindow} from './line-window.js';
import type {PaneLine} from './pane-line.js';
import {SlicedRun, type SlicedRunOptions} from './sliced-run.js';

/** How far a rebuild of the index has come: `filtering… 40%` while `done < total`. */
export type IndexingProgress = {what: 'filter' | 'search'; done: number; total: number};

export type LineIndexOptions = {
	level?: Level;
	ownLabel?: string;
	/** How a large rebuild is sliced; `onSlice` is told after each later slice, so the pane is drawn again. */
	slices?: SlicedRunOptions;
};

/**
 * Which lines of a window a pane shows and which of those the search marks: the positions the filter
 * and level floor let through, and the search hits among them. A line is tested once, when it enters the
 * window (at either end); a new filter or search re-scans the window once. Lines filled in across a hole
 * keep it: `holeBefore` says when two shown lines were not adjacent in the stream.
 *
 * A re-scan of a large window runs in slices (sliced-run.ts), newest lines first: what a pane shows
 * first, when following, is indexed in the slice run by the key that set the filter, and the index grows
 * back from there while keys go on being read. Until it is complete, the index is exact above a line
 * (`#shownFrom` for the filter, `#hitsFrom` for the search) and holds nothing below it; counts, jumps and
 * the screen work on that part, and `indexing` says how far it has come. Lines that arrive meanwhile
 * enter above that line, tested as ever; lines filled in below are left to the scan, which reaches the
 * window's oldest line wherever that is by then.
 */
export class LineIndex {
	filterText = '';
	filterError?: string;
	levelFloor?: Level;
	searchText = '';
	searchError?: string;
	/** The positions the filter and level floor let through (notices too), ascending. */
	readonly matched = new IndexList();
	readonly hits = new IndexList();
	/** Lines of context asked for around matches (`C`); they show only while a filter or floor narrows. */
	context = 0;
	#filter?: LinePattern;
	#search?: LinePattern;
	readonly #window: LineWindow;
	readonly #ownLabel?: string;
	readonly #run: SlicedRun;
	readonly #context: ContextLines;
	/** Positions at and above this are in `shown` if the filter and level floor let them through. */
	#shownFrom: number;
	/** Shown positions at and above this are in `hits` if the search matches them (never below #shownFrom). */
	#hitsFrom: number;

	constructor(window: LineWindow, options: LineIndexOptions = {}) {
		this.#window = window;
		this.levelFloor = options.level;
		this.#ownLabel = options.ownLabel;
		this.#shownFrom = window.first;
		this.#hitsFrom = window.first;
		this.#run = new SlicedRun((lines) => this.#chunk(lines), options.slices);
		this.#context = new ContextLines(window, this.matched, (position) => window.peek(position)!.notice);
	}

	/**
	 * The positions the pane shows, ascending: the matches, and with context (`C`, under a filter or
	 * floor) the lines around them (context-groups.ts).
	 */
	get shown(): IndexList {
		return this.#context.lines > 0 ? this.#context.list : this.matched;
	}

	/** Lines of context shown around each match now: 0 when none is asked for or nothing is filtered out. */
	get contextShown(): number {
		return this.#context.lines;
	}

	/** Whether a shown line is there as context of a match, not as a match. */
	isContext(position: number): boolean {
		return this.#context.isContext(position);
	}

	/** Sets the lines of context around each match (`C`: 0, 3, 10). */
	setContext(lines: number): void {
		this.context = lines;
		this.#context.reset(this.#narrowing() ? lines : 0, this.#shownFrom);
	}

	/** How far an unfinished re-scan has come; undefined when the index is complete. */
	get indexing(): IndexingProgress | undefined {
		const {first, end} = this.#window;
		if (this.#hitsFrom <= first) {
			return undefined;
		}

		return {what: this.#shownFrom > first ? 'filter' : 'search', done: end - this.#hitsFrom, total: end - first};
	}

	/** Resolves when the index is complete. */
	async indexed(): Promise<void> {
		await this.#run.done();
	}

	/** The search as a pattern, for highlighting its matches on screen. */
	get search(): LinePattern | undefined {
		return this.#search;
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

	/** A line the window took at its newest end. */
	appended(position: number): void {
		this.trim();
		const line = this.#window.peek(position)!;
		if (this.#passes(line)) {
			this.matched.push(position);
			if (this.#hits(line)) {
				this.hits.push(position);
			}
		}

		this.#context.appended(position);
	}

	/** Lines the window filled in below its oldest, at positions [from, to). */
	prepended(from: number, to: number): void {
		this.trim();
		// An unfinished scan of the filter reaches them by itself.
		if (this.#shownFrom > to) {
			return;
		}

		const shown: number[] = [];
		const hits: number[] = [];
		const withHits = this.#hitsFrom <= to;
		for (let position = from; position < to; position++) {
			const line = this.#window.peek(position)!;
			if (this.#passes(line)) {
				shown.push(position);
				if (withHits && this.#hits(line)) {
					hits.push(position);
				}
			}
		}

		this.matched.prepend(shown);
		this.#shownFrom = Math.min(this.#shownFrom, from);
		this.#context.prepended(from, to);
		// Where the search is still being scanned, the scan takes them with the rest.
		if (withHits) {
			this.hits.prepend(hits);
			this.#hitsFrom = this.#shownFrom;
		}
	}

	/** Whether lines the window does not hold lie between the shown line at `rank` and the one before it. */
	holeBefore(rank: number): boolean {
		const before = this.shown.at(rank - 1);
		const at = this.shown.at(rank);
		return before !== undefined && at !== undefined && this.#window.holeBetween(before, at);
	}

	/** Forgets positions the window no longer holds, at either end (before they are given to other lines). */
	trim(): void {
		const {first, end} = this.#window;
		this.matched.dropBelow(first);
		this.hits.dropBelow(first);
		this.matched.dropFrom(end);
		this.hits.dropFrom(end);
		this.#context.trimmed();
		this.#shownFrom = Math.min(end, Math.max(first, this.#shownFrom));
		this.#hitsFrom = Math.min(end, Math.max(first, this.#hitsFrom));
	}

	/** Whether a line would be shown and be a search hit: what `n` past the lines held looks for. */
	showsHit(line: PaneLine): boolean {
		return !line.notice && this.#passes(line) && this.#hits(line);
	}

	#passes(line: PaneLine): boolean {
		return line.notice || (meetsFloor(line.level, this.levelFloor) && filterPasses(this.#filter, line, this.#ownLabel));
	}

	/** Whether the filter or floor hides any line: context around matches means something only then. */
	#narrowing(): boolean {
		return this.#filter !== undefined || this.levelFloor !== undefined;
	}

	#hits(line: PaneLine): boolean {
		return this.#search !== undefined && patternHits(this.#search, line, this.#ownLabel);
	}

	/** A new filter or level floor: every line is tested again, newest first. */
	#rebuild(): void {
		this.matched.clear();
		this.hits.clear();
		this.#shownFrom = this.#window.end;
		this.#hitsFrom = this.#window.end;
		this.#context.reset(this.#narrowing() ? this.context : 0, this.#shownFrom);
		this.#start();
	}

	/** A new search: the lines shown are tested again, newest first. */
	#rebuildHits(): void {
		this.hits.clear();
		this.#hitsFrom = this.#search ? this.#window.end : this.#shownFrom;
		this.#start();
	}

	#start(): void {
		this.trim();
		this.#run.start(this.#hitsFrom - this.#window.first);
	}

	/**
	 * One chunk of the scan, below what is indexed: the search over lines already shown first (a new
	 * search while the filter is complete), then filter and search together. True while work is left.
	 */
	#chunk(lines: number): boolean {
		this.trim();
		const {first} = this.#window;
		if (this.#hitsFrom > this.#shownFrom) {
			const from = Math.max(this.#shownFrom, this.#hitsFrom - lines);
			const hits: number[] = [];
			for (let rank = this.matched.lowerBound(from), end = this.matched.lowerBound(this.#hitsFrom); rank < end; rank++) {
				const position = this.matched.at(rank)!;
				if (this.#hits(this.#window.peek(position)!)) {
					hits.push(position);
				}
			}

			this.hits.prepend(hits);
			this.#hitsFrom = from;
		} else if (this.#shownFrom > first) {
			const from = Math.max(first, this.#shownFrom - lines);
			const shown: number[] = [];
			const hits: number[] = [];
			for (let position = from; position < this.#shownFrom; position++) {
				const line = this.#window.peek(position)!;
				if (this.#passes(line)) {
					shown.push(position);
					if (this.#hits(line)) {
						hits.push(position);
					}
				}
			}

			const to = this.#shownFrom;
			this.matched.prepend(shown);
			this.hits.prepend(hits);
			this.#shownFrom = from;
			this.#hitsFrom = from;
			this.#context.prepended(from, to);
		}

		return this.#hitsFrom > first;
	}
}
