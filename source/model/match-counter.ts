import type {HistoryCount, HistoryQuery, HistoryReader} from '../client/history.js';
import type {MatchPlace} from './match-search.js';
import type {PaneStore} from './pane-store.js';

/** Totals kept, one per search, level floor and run: going back to an earlier search reuses its count. */
const TOTALS_KEPT = 8;

/** The count of every match of a run (for one search and floor), shared by every `n` that lands in it. */
type Total = {count: Promise<HistoryCount | undefined>; newest: number};

/**
 * Which match of the run the cursor is on, as the server counts them (`count=true`): asked after every `n`
 * and `N`, beside the reads (it never holds a key), one count at a time, so `n` held down counts the hit
 * it stops on, not each it passed. Each count is a scan on the server that holds one of its few search
 * slots (bounded by its count budget), so one `n` costs one count, the matches up to the hit: the run's
 * total is counted once per search, level floor and run and kept (a total still being counted is shared),
 * and counted again only when the pane has heard newer lines of a run still going. The counts of one
 * `n` are asked one after the other, so a pane never holds two of the server's search slots at once.
 *
 * What is counted is the server's: matches of the search (`grep=`) at or above the pane's level floor
 * (`level=`, as the search reads them), in the run of the match. The pane's filter does not narrow it (the
 * server knows nothing of it): where the filter hides some matches, `n` skips them and the count does not.
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
	readonly #totals = new Map<string, Total>();

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
			const place = await this.#placeOf(id, {grep: search, level: this.#store.levelFloor});
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

	/**
	 * Where match `id` is among its run's matches: the matches up to and including it (`before=id+1`), and the
	 * run's total, kept. Its run (a pane over an entity reads every run of it, but `match 3 of 41` is of the
	 * run the match is in) comes from its record, a plain read that takes no search slot. Undefined where
	 * the server does not count (an older one), or stopped counting before the match.
	 */
	async #placeOf(id: string, query: HistoryQuery): Promise<MatchPlace | undefined> {
		const [record] = (await this.#reader.after(String(Number(id) - 1), 1)).records;
		const counted = {...query, count: true, run: record?.id === id ? record.runId : undefined};
		// Ids start at 1: `before=id+1` is every match up to and including this one.
		const upTo = (await this.#reader.before(String(Number(id) + 1), 1, counted)).count;
		if (!upTo?.complete || upTo.matches < 1) {
			return undefined;
		}

		const all = await this.#total(counted);
		if (!all) {
			return undefined;
		}

		return {id, at: upTo.matches, of: Math.max(all.matches, upTo.matches), complete: all.complete};
	}

	/** The run's total for `query`, kept, or counted (`after=0`) when none is kept or the run has grown since. */
	async #total(query: HistoryQuery): Promise<HistoryCount | undefined> {
		const key = JSON.stringify([query.grep, query.level ?? '', query.run ?? '']);
		const {window} = this.#store;
		const newest = Number(window.newestId() ?? 0);
		const kept = this.#totals.get(key);
		// Lines newer than the count came in live: the run may have more matches now.
		const stale = kept !== undefined && window.liveHeld && newest > kept.newest;
		if (kept && !stale) {
			this.#totals.delete(key);
			this.#totals.set(key, kept);
			return kept.count;
		}

		const total: Total = {count: this.#reader.after('0', 1, query).then((page) => page.count), newest};
		this.#totals.delete(key);
		this.#totals.set(key, total);
		if (this.#totals.size > TOTALS_KEPT) {
			this.#totals.delete(this.#totals.keys().next().value!);
		}

		try {
			return await total.count;
		} catch (error) {
			// A failed count is not kept: the next `n` asks again.
			if (this.#totals.get(key) === total) {this.#totals.delete(key);}
			throw error;
		}
	}
}
