import {IndexList} from './index-list.js';
import type {LineWindow} from './line-window.js';

/** The lines of context `C` cycles through around each filter match, as `grep -C`. */
export const CONTEXT_STEPS: readonly number[] = [0, 3, 10];

export function nextContext(lines: number): number {
	const at = CONTEXT_STEPS.indexOf(lines);
	return CONTEXT_STEPS[(at + 1) % CONTEXT_STEPS.length]!;
}

/**
 * The lines a filtered pane shows with context (`C`): each match (a line the filter and level floor let
 * through) and the lines up to `lines` before and after it, as `grep -C` prints them. Notices pass every
 * filter but are not matches: they bring no context. Context stops at a hole (lines not held there are
 * not neighbours) and is never read from lines not yet indexed (below `indexedFrom`).
 *
 * Kept from the matches list as it changes: a line at the newest end costs a look at the matches before
 * it; lines filled in at the oldest end, an index rebuilt a slice at a time and lines given up at either
 * end recompute only the `lines` positions next to the change, at that end of the list (IndexList grows
 * and shrinks only there). Consecutive shown positions that are not neighbours in the window are where
 * groups meet: the pane draws grep's `--` between them (held-markers.ts).
 */
export class ContextLines {
	readonly list = new IndexList();
	#lines = 0;
	/** The window's ends as last trimmed to: lines given up since are what `trimmed` recomputes around. */
	#first: number;
	#end: number;
	readonly #window: LineWindow;
	readonly #matched: IndexList;
	readonly #notice: (position: number) => boolean;

	constructor(window: LineWindow, matched: IndexList, notice: (position: number) => boolean) {
		this.#window = window;
		this.#matched = matched;
		this.#notice = notice;
		this.#first = window.first;
		this.#end = window.end;
	}

	get lines(): number {
		return this.#lines;
	}

	/** Sets the context and recomputes the list over what is indexed; 0 leaves it empty. */
	reset(lines: number, indexedFrom: number): void {
		this.#lines = lines;
		this.#first = this.#window.first;
		this.#end = this.#window.end;
		this.list.clear();
		if (lines > 0) {
			for (const position of this.#over(Math.max(indexedFrom, this.#window.first), this.#window.end)) {
				this.list.push(position);
			}
		}
	}

	/** A line indexed at the newest end (after the matches list took it, if it passes). */
	appended(position: number): void {
		if (this.#lines === 0) {
			return;
		}

		const last = this.list.last();
		const from = Math.max(last === undefined ? this.#window.first : last + 1, position - this.#lines, this.#window.first);
		for (const each of this.#over(from, position + 1)) {
			this.list.push(each);
		}
	}

	/**
	 * Lines indexed below the oldest indexed, at [from, to): the list's head is recomputed up to `lines`
	 * past `to`, whose lines may now be context of a match among the new ones.
	 */
	prepended(from: number, to: number): void {
		if (this.#lines === 0) {
			return;
		}

		const upTo = Math.min(this.#window.end, to + this.#lines);
		this.list.dropBelow(upTo);
		this.list.prepend(this.#over(Math.max(from, this.#window.first), upTo));
	}

	/**
	 * The window gave up lines at an end: the matches they held no longer bring context, so the `lines`
	 * positions next to each end are recomputed.
	 */
	trimmed(): void {
		const {first, end} = this.#window;
		this.list.dropBelow(first);
		this.list.dropFrom(end);
		const evicted = first > this.#first;
		const dropped = end < this.#end;
		this.#first = first;
		this.#end = end;
		if (this.#lines === 0 || end <= first) {
			return;
		}

		const head = this.list.at(0);
		if (evicted && head !== undefined && head < first + this.#lines) {
			const upTo = Math.min(end, first + this.#lines);
			this.list.dropBelow(upTo);
			this.list.prepend(this.#over(first, upTo));
		}

		if (dropped) {
			const from = Math.max(first, end - this.#lines);
			this.list.dropFrom(from);
			for (const position of this.#over(from, end)) {
				this.list.push(position);
			}
		}
	}

	/** Whether a shown line is context rather than a match (drawn dim). */
	isContext(position: number): boolean {
		return this.#lines > 0 && this.#matched.at(this.#matched.rankAtOrBefore(position)) !== position;
	}

	/** The positions in [from, to) that are matches or within `lines` of a match, with no hole between. */
	#over(from: number, to: number): number[] {
		const out: number[] = [];
		if (from >= to) {
			return out;
		}

		const lines = this.#lines;
		const window = this.#window;
		let next = from;
		for (let rank = this.#matched.lowerBound(from - lines); ; rank++) {
			const match = this.#matched.at(rank);
			if (match === undefined || match >= to + lines) {
				break;
			}

			let low = match;
			let high = match;
			if (!this.#notice(match)) {
				// A hole at h means lines are missing right before h: context stays on the match's side of it.
				const above = window.holeAtOrBefore(match);
				const below = window.holeAfter(match);
				low = Math.max(match - lines, above ?? match - lines);
				high = Math.min(match + lines, below === undefined ? match + lines : below - 1);
			}

			for (let position = Math.max(low, next); position <= high && position < to; position++) {
				out.push(position);
				next = position + 1;
			}
		}

		return out;
	}
}
