import type {Level} from '../protocol/levels.js';
import {meetsFloor} from '../protocol/levels.js';
import {stepLevelFloor} from './level-floor.js';
import {compilePattern, filterPasses, patternHits, type LinePattern} from './line-pattern.js';
import {IndexList} from './index-list.js';
import type {LineWindow} from './line-window.js';
import type {PaneLine} from './pane-line.js';

/**
 * Which lines of a window a pane shows and which of those the search marks: the positions the filter
 * and level floor let through, and the search hits among them. A line is tested once, when it enters the
 * window (at either end); a new filter or search re-scans the window once. Lines filled in across a hole
 * keep it: `holeBefore` says when two shown lines were not adjacent in the stream.
 */
export class LineIndex {
	filterText = '';
	filterError?: string;
	levelFloor?: Level;
	searchText = '';
	searchError?: string;
	readonly shown = new IndexList();
	readonly hits = new IndexList();
	#filter?: LinePattern;
	#search?: LinePattern;
	readonly #window: LineWindow;
	readonly #ownLabel?: string;

	constructor(window: LineWindow, options: {level?: Level; ownLabel?: string} = {}) {
		this.#window = window;
		this.levelFloor = options.level;
		this.#ownLabel = options.ownLabel;
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
		this.#trim();
		const line = this.#window.get(position)!;
		if (this.#passes(line)) {
			this.shown.push(position);
			if (this.#hits(line)) {
				this.hits.push(position);
			}
		}
	}

	/** Lines the window filled in below its oldest, at positions [from, to). */
	prepended(from: number, to: number): void {
		this.#trim();
		const shown: number[] = [];
		const hits: number[] = [];
		for (let position = from; position < to; position++) {
			const line = this.#window.get(position)!;
			if (this.#passes(line)) {
				shown.push(position);
				if (this.#hits(line)) {
					hits.push(position);
				}
			}
		}

		this.shown.prepend(shown);
		this.hits.prepend(hits);
	}

	/** Whether lines the window does not hold lie between the shown line at `rank` and the one before it. */
	holeBefore(rank: number): boolean {
		const before = this.shown.at(rank - 1);
		const at = this.shown.at(rank);
		return before !== undefined && at !== undefined && this.#window.holeBetween(before, at);
	}

	/** Forgets positions the window no longer holds, at either end. */
	#trim(): void {
		this.shown.dropBelow(this.#window.first);
		this.hits.dropBelow(this.#window.first);
		this.shown.dropFrom(this.#window.end);
		this.hits.dropFrom(this.#window.end);
	}

	#passes(line: PaneLine): boolean {
		return line.notice || (meetsFloor(line.level, this.levelFloor) && filterPasses(this.#filter, line, this.#ownLabel));
	}

	#hits(line: PaneLine): boolean {
		return this.#search !== undefined && !line.notice && patternHits(this.#search, line, this.#ownLabel);
	}

	#rebuild(): void {
		this.shown.clear();
		for (let position = this.#window.first; position < this.#window.end; position++) {
			if (this.#passes(this.#window.get(position)!)) {
				this.shown.push(position);
			}
		}

		this.#rebuildHits();
	}

	#rebuildHits(): void {
		this.hits.clear();
		if (!this.#search) {
			return;
		}

		for (let rank = 0; rank < this.shown.length; rank++) {
			const position = this.shown.at(rank)!;
			if (this.#hits(this.#window.get(position)!)) {
				this.hits.push(position);
			}
		}
	}
}
