import type {HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import {emptyWindow} from './line-target.js';
import type {LiveSeam} from './live-seam.js';
import type {MatchCounter} from './match-counter.js';
import {around, findMatch, READS_PER_SEARCH, type FoundMatch} from './match-search.js';
import type {PaneStore, SearchBeyond} from './pane-store.js';

/** A search that found nothing to show: said as it is, not as a failure of the history. */
export class SearchMiss extends Error {}

/**
 * `n` / `N` past what a pane holds (the pager runs it as one of its reads): the history is searched for the
 * next match that way (match-search.ts), and the lines around it fill the hole or the end the search
 * crossed. A search that ran out of reads remembers where it stopped, so that `n` again goes on from there.
 */
export class PastWindowSearch {
	readonly #store: PaneStore;
	readonly #reader: HistoryReader;
	readonly #seam: LiveSeam;
	readonly #counter?: MatchCounter;
	readonly #replaced: () => void;
	/** Where a search that ran out of reads stopped, so that `n` again goes on from there. */
	#resume?: {key: string; from: string};

	/** `replaced` is told before a match is landed in place of the whole window. */
	constructor(store: PaneStore, reader: HistoryReader, seam: LiveSeam, counter: MatchCounter | undefined, replaced: () => void) {
		this.#store = store;
		this.#replaced = replaced;
		this.#reader = reader;
		this.#seam = seam;
		this.#counter = counter;
	}

	/** The next match past `request.from`, loaded with the lines around it (`half` on each side). */
	async search(request: SearchBeyond, half: number, current: () => boolean): Promise<void> {
		const store = this.#store;
		const query = {grep: store.searchText, level: store.levelFloor};
		const key = `${request.direction} ${request.from} ${store.filterText} ${store.levelFloor ?? ''} ${store.searchText}`;
		const from = this.#resume?.key === key ? this.#resume.from : request.from;
		this.#resume = undefined;
		if (request.direction === 1) {
			this.#seam.listen();
		}

		const found = await findMatch(this.#reader, {...request, from}, query, (record) => store.showsHit(record), current);
		if (!current()) {
			return;
		}

		if (found.exhausted !== undefined) {
			this.#resume = {key, from: found.exhausted};
			throw new SearchMiss(`no match in ${READS_PER_SEARCH} reads of the run: ${request.direction === 1 ? 'n' : 'N'} searches on`);
		}

		if (found.match) {
			await this.#show(found.match, request, half, current);
			return;
		}

		// Nothing that way in the whole run: round to its other end, as vim goes round, and say so.
		const wrapped = await findMatch(this.#reader, {direction: request.direction}, query, (record) => store.showsHit(record), current);
		if (!current()) {
			return;
		}

		if (!wrapped.match) {
			throw new SearchMiss(wrapped.exhausted === undefined ? 'no match in the run' : `no match in ${READS_PER_SEARCH} reads of the run`);
		}

		await this.#show(wrapped.match, undefined, half, current);
		if (current()) {
			throw new SearchMiss(request.direction === 1 ? 'search hit BOTTOM of the run, continuing at TOP' : 'search hit TOP of the run, continuing at BOTTOM');
		}
	}

	/**
	 * Puts the cursor on a match: where it is held already (beyond a hole in which there was none), at once;
	 * else the lines around it are read and fill the hole or the end the search crossed (`request`), or, for
	 * a search gone round the run (no request), take the whole window's place.
	 */
	async #show(match: LogRecord, request: SearchBeyond | undefined, half: number, current: () => boolean): Promise<void> {
		const store = this.#store;
		const direction = request?.direction ?? (Number(match.id) > Number(store.window.newestId()) ? 1 : -1);
		if (store.window.positionOf(match.id!) === undefined) {
			if (!request) {
				this.#seam.listen();
			}

			const lines = await around(this.#reader, match, half);
			if (!current()) {
				return;
			}

			if (request) {
				if (!this.#landMatch(lines, request)) {
					return;
				}
			} else {
				this.#replaced();
				emptyWindow(store);
				this.#seam.land({records: lines.records, more: lines.more.after}, false);
			}
		}

		const position = store.window.positionOf(match.id!);
		if (position !== undefined) {
			store.showMatch(position, direction);
			this.#counter?.count(match.id!);
		}
	}

	/** The lines around a match, in place of the hole or beyond the end that the search crossed. False when the window moved meanwhile. */
	#landMatch(found: FoundMatch, request: SearchBeyond): boolean {
		const {window} = this.#store;
		if (request.direction === 1) {
			const edge = request.hole === undefined ? window.newestId() : window.idAtOrBefore(request.hole - 1);
			if (edge !== request.from) {
				return false;
			}

			if (request.hole !== undefined) {
				this.#store.dropFrom(request.hole);
			}

			this.#seam.land({records: found.records, more: found.more.after}, false);
			return true;
		}

		const edge = request.hole === undefined ? window.oldestId() : window.idAtOrAfter(request.hole);
		if (edge !== request.from) {
			return false;
		}

		if (request.hole !== undefined) {
			this.#store.dropBelow(request.hole);
		}

		const meets = found.records.some((record) => Number(record.id) >= Number(request.from));
		this.#store.fillBefore({records: found.records, more: found.more.before}, meets);
		return true;
	}
}
