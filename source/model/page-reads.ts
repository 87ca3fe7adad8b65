import type {HistoryReader} from '../client/history.js';
import type {FilteredReads} from './filtered-reads.js';
import type {LiveSeam} from './live-seam.js';
import type {PaneStore} from './pane-store.js';
import {runFirstPage} from './run-start.js';

/**
 * Unfiltered pages one move may read where a filter lets few lines through that the server cannot narrow
 * reads to (an exclusion `!text` with no level floor): enough to find a screenful in a sparse filter,
 * bounded so that a filter nothing passes does not read the whole run behind one key. Other filters read
 * filtered pages (filtered-reads.ts).
 */
export const PAGES_PER_MOVE = 8;

/** What the pager is doing, said in the pane's title and the status bar. */
export type PagerActivity = 'loading…' | 'searching older lines…' | 'searching newer lines…' | 'searching the run…';

/**
 * The reads of the history pager (history-pager.ts), each run as one of its tasks (`current` says whether
 * its answer is still wanted): the page before the oldest line held or after the newest, the run's first
 * page (`g`), the newest (`G`), and the page across a hole. A pane whose filter the server can narrow reads
 * to has them read by FilteredReads instead, at either end.
 */
export class PageReads {
	readonly #store: PaneStore;
	readonly #reader: HistoryReader;
	readonly #seam: LiveSeam;
	readonly #filtered: FilteredReads;
	readonly #pageSize: () => number;
	readonly #say: (activity: PagerActivity) => void;

	constructor(
		store: PaneStore,
		reader: HistoryReader,
		seam: LiveSeam,
		filtered: FilteredReads,
		options: {pageSize: () => number; say: (activity: PagerActivity) => void},
	) {
		this.#store = store;
		this.#reader = reader;
		this.#seam = seam;
		this.#filtered = filtered;
		this.#pageSize = options.pageSize;
		this.#say = options.say;
	}

	/**
	 * The page before the first line after the hole above; the lines older than the hole are given up.
	 * Under a filter the server can narrow reads to, they are given up at once and filtered pages read
	 * (FilteredReads.earlier): one unfiltered page across the hole rarely holds a line that passes, and `k`
	 * read nothing to show (seen in tmux: after N landed line 123 above a hole, `/ERROR`, `k`).
	 */
	async acrossAbove(hole: number, current: () => boolean): Promise<void> {
		const id = this.#store.window.idAtOrAfter(hole);
		if (id === undefined) {
			return;
		}

		const query = this.#filtered.query();
		if (query) {
			this.#store.dropBelow(hole);
			await this.#filtered.earlier(query, current);
			return;
		}

		const page = await this.#reader.before(id, this.#pageSize());
		if (!current() || this.#store.window.idAtOrAfter(hole) !== id) {
			return;
		}

		this.#store.dropBelow(hole);
		this.#store.fillBefore(page);
	}

	/** The page after the last line before the hole below; the lines past the hole are given up (under a filter, as acrossAbove). */
	async acrossBelow(hole: number, current: () => boolean): Promise<void> {
		const id = this.#store.window.idAtOrBefore(hole - 1);
		if (id === undefined) {
			return;
		}

		const query = this.#filtered.query();
		if (query) {
			this.#store.dropFrom(hole);
			await this.#filtered.later(query, current);
			return;
		}

		this.#seam.listen();
		const page = await this.#reader.after(id, this.#pageSize());
		if (!current() || this.#store.window.idAtOrBefore(hole - 1) !== id) {
			return;
		}

		this.#store.dropFrom(hole);
		this.#seam.land(page, true);
	}

	/**
	 * Under a filter, where the run's first line is held (earlierLines 0) but lines that may pass lie between
	 * it and the first line shown: the hole above that line, or the window's end when none is shown and the
	 * live end is not held. `g` must read them: a goTo or a search that landed near line 1 left the window so
	 * (seen in tmux: T, s needle, N, `/ERROR`: only line 35,892 was shown above a hole, or nothing, and `g`
	 * did nothing, the run's start being held).
	 */
	#startHidden(): number | undefined {
		const {window, index} = this.#store;
		if (!this.#anyFilter || window.earlierLines() !== 0) {
			return undefined;
		}

		const hole = window.holeAfter(window.first);
		const shown = index.shown.at(0);
		if (hole !== undefined && (shown === undefined || hole <= shown)) {
			return hole;
		}

		return shown === undefined && !window.liveHeld ? window.end : undefined;
	}

	get #anyFilter(): boolean {
		return this.#store.filterText !== '' || this.#store.levelFloor !== undefined;
	}

	/**
	 * Whether a filtered read should go on: fewer than a screenful of the lines read passed, and none did
	 * unless the window has room for another page (one that drops them would lose what was found).
	 */
	#wantsMore(passed: number): boolean {
		const {window, view, indexing} = this.#store;
		const room = window.size + this.#pageSize() <= window.capacity;
		return this.#anyFilter && indexing === undefined && passed < view.size.rows && (passed === 0 || room);
	}

	/** Pages before the oldest line held, until a screenful passes the filter (one page unfiltered). */
	async earlier(current: () => boolean): Promise<void> {
		const query = this.#filtered.query();
		if (query) {
			await this.#filtered.earlier(query, current);
			return;
		}

		const {window, index} = this.#store;
		for (let pages = 0; pages < PAGES_PER_MOVE && window.earlierLines() !== 0; pages++) {
			const oldest = window.oldestId();
			if (oldest === undefined) {
				return;
			}

			const from = window.first;
			const page = await this.#reader.before(oldest, this.#pageSize());
			if (!current()) {
				return;
			}

			this.#store.fillBefore(page);
			if (page.records.length === 0 || !this.#wantsMore(index.shown.lowerBound(from))) {
				return;
			}

			this.#say('searching older lines…');
		}
	}

	/** `g`: the run's first line. A first page of the run, or the rest of it when that is less than a page. */
	async first(current: () => boolean): Promise<void> {
		const {window, view} = this.#store;
		const earlier = window.earlierLines();
		const oldest = window.oldestId();
		const hidden = this.#startHidden();
		if (earlier === 0 && hidden === undefined) {
			return;
		}

		const query = this.#filtered.query();
		if (hidden !== undefined && !query) {
			// The run's first line is held, but not every line between it and the first shown: read on in order.
			if (hidden < window.end) {
				await this.acrossBelow(hidden, current);
			}

			if (current() && this.#store.index.shown.length === 0) {
				await this.later(current);
			}
		} else if (query) {
			await this.#filtered.first(query, current);
		} else if (oldest !== undefined && earlier !== undefined && earlier <= this.#pageSize()) {
			await this.earlier(current);
		} else {
			const page = await runFirstPage(this.#reader, oldest, this.#pageSize());
			if (!current()) {
				return;
			}

			// The page meets what is held when it reaches the oldest line held: no hole between them then.
			const meets = oldest !== undefined && page.records.some((record) => Number(record.id) >= Number(oldest));
			this.#store.fillBefore({records: page.records, more: false}, meets);
			// A filter nothing in the first page passes: read on from the start, not back from the far side of the hole.
			const hole = window.holeAfter(window.first);
			if (this.#anyFilter && hole !== undefined && this.#store.index.shown.lowerBound(hole) === 0) {
				this.#store.dropFrom(hole);
				await this.later(current);
			}
		}

		if (current()) {
			view.top();
		}
	}

	/** Pages after the newest line held, until a screenful passes the filter; the last one brings the live end back. */
	async later(current: () => boolean): Promise<void> {
		const query = this.#filtered.query();
		if (query && this.#store.window.newestId() !== undefined) {
			await this.#filtered.later(query, current);
			return;
		}

		const {window, index} = this.#store;
		for (let pages = 0; pages < PAGES_PER_MOVE && !window.liveHeld; pages++) {
			const newest = window.newestId();
			if (newest === undefined) {
				await this.toLive(current);
				return;
			}

			const from = window.end;
			this.#seam.listen();
			const page = await this.#reader.after(newest, this.#pageSize());
			if (!current()) {
				return;
			}

			this.#seam.land(page, true);
			if (page.records.length === 0 || !this.#wantsMore(index.shown.length - index.shown.lowerBound(from))) {
				return;
			}

			this.#say('searching newer lines…');
		}
	}

	/** `G` where the live end is not held: the newest page, a hole kept between it and what is held. */
	async toLive(current: () => boolean): Promise<void> {
		this.#seam.listen();
		const page = await this.#reader.before(undefined, this.#pageSize());
		if (!current()) {
			return;
		}

		this.#filtered.dropNewer();
		this.#seam.land({records: page.records, more: false}, false);
	}
}
