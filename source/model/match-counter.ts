import type {HistoryReader} from '../client/history.js';
import {placeMatch, type MatchPlace} from './match-search.js';
import type {PaneStore} from './pane-store.js';

/**
 * Which match of the run the cursor is on, as the server counts them (`count=true`): asked after every `n`
 * and `N`, beside the reads (it never holds a key), one count at a time, so `n` held down counts the hit
 * it stops on, not each it passed (each count is a scan on the server, bounded by its budget).
 */
export class MatchCounter {
	readonly #store: PaneStore;
	readonly #reader: HistoryReader;
	readonly #onChange: () => void;
	#place?: MatchPlace & {search: string};
	#generation = 0;
	#counting = false;
	/** The match to count when the count under way is done. */
	#next?: string;

	constructor(store: PaneStore, reader: HistoryReader, onChange: () => void) {
		this.#store = store;
		this.#reader = reader;
		this.#onChange = onChange;
	}

	/** The place counted, while the cursor is on that match and the search is the one counted. */
	place(): MatchPlace | undefined {
		const place = this.#place;
		const {window, view} = this.#store;
		const cursor = view.cursorPosition();
		if (!place || place.search !== this.#store.searchText || cursor === undefined || view.following) {
			return undefined;
		}

		return window.positionOf(place.id) === cursor ? place : undefined;
	}

	/** Counts the hit under the cursor, if the cursor is on one that has an id. */
	countCursor(): void {
		const {window, view, index} = this.#store;
		const cursor = view.cursorPosition();
		if (cursor === undefined || index.hits.at(index.hits.lowerBound(cursor)) !== cursor) {
			return;
		}

		const id = window.idAtOrBefore(cursor);
		if (id !== undefined && window.positionOf(id) === cursor) {
			this.count(id);
		}
	}

	count(id: string): void {
		if (this.#counting) {
			this.#next = id;
			return;
		}

		void this.#ask(id);
	}

	async #ask(id: string): Promise<void> {
		this.#counting = true;
		const generation = ++this.#generation;
		const search = this.#store.searchText;
		try {
			const place = await placeMatch(this.#reader, id, {grep: search, level: this.#store.levelFloor});
			if (generation === this.#generation && place) {
				this.#place = {...place, search};
				this.#onChange();
			}
		} catch {
			// The count is a courtesy: a server that cannot give it leaves the status bar without it.
		} finally {
			this.#counting = false;
			const next = this.#next;
			this.#next = undefined;
			if (next !== undefined && next !== id) {
				this.count(next);
			}
		}
	}
}
