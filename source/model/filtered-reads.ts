import type {HistoryPage, HistoryQuery, HistoryReader} from '../client/history.js';
import {compilePattern} from './line-pattern.js';
import {emptyWindow} from './line-target.js';
import type {LiveSeam} from './live-seam.js';
import type {PaneStore} from './pane-store.js';
import {SearchMiss} from './search-past-window.js';

/**
 * Requests one move may make for filtered pages: a page of `grep=` can be short or empty with `next` set
 * (the server's scan budget, 200,000 records a request), and a move goes on from there a few times at most.
 */
export const FILTERED_READS_PER_MOVE = 4;

/**
 * Lines read under a filter at one end of the window: not contiguous in the run (only the lines the filter
 * passes), so they hold only while the filter is the one they were read under (`key`). The older extract is
 * the positions below `boundary`, the newer one those from `boundary` on (the live lines after it too, once
 * it reached live); the window's ordinary hole sits at `boundary` between it and the contiguous part.
 * `edge` is the window's outermost id when the last filtered page landed, `next` where the page after it
 * starts (undefined: no line beyond passes).
 */
type Extract = {key: string; boundary: number; edge?: string; next?: string};

type Activity = 'searching older lines…' | 'searching newer lines…';

/** The pane's filter and level floor as one key: what an extract was read under. */
export function filterKey(store: PaneStore): string {
	return `${store.levelFloor ?? ''}\n${store.filterText}`;
}

/**
 * What the server can narrow a read to for the pane's filter and level floor (docs/protocol.md, History
 * search: the same pattern language and smart case; the level word, `[task]` and message each on its own).
 * The server cannot exclude (`!text`), and matches a task label where the pane hides its own (a superset,
 * filtered again as the lines land); on a pane over every entity the pane's label is `entity/task`, which
 * the server's is not, so a filter there could pass lines the server's grep would not send: only the level
 * narrows those reads. Undefined when nothing narrows them: the pane reads unfiltered pages.
 */
export function filteredQuery(store: PaneStore, entityLabels: boolean): HistoryQuery | undefined {
	const text = store.filterText;
	const pattern = text === '' || store.filterError !== undefined ? undefined : compilePattern(text, {allowExclude: true}).pattern;
	const grep = pattern && !pattern.exclude && !entityLabels ? text : undefined;
	const level = store.levelFloor;
	return grep === undefined && level === undefined ? undefined : {...(grep === undefined ? {} : {grep}), ...(level === undefined ? {} : {level})};
}

/**
 * A filtered pane that needs lines beyond an end held reads filtered pages there (`grep=` the filter,
 * `level=` the floor), not the run through. What it reads is kept as an extract at that end (see Extract):
 * scrolling over it reads nothing, the next filtered read goes on from its far end, and a change of the
 * filter or floor drops it (`dropStale`).
 */
export class FilteredReads {
	readonly #store: PaneStore;
	readonly #reader: HistoryReader;
	readonly #seam: LiveSeam;
	readonly #pageSize: () => number;
	readonly #say: (activity: Activity) => void;
	readonly #entityLabels: boolean;
	#older?: Extract;
	#newer?: Extract;

	constructor(
		store: PaneStore,
		reader: HistoryReader,
		seam: LiveSeam,
		options: {pageSize: () => number; say: (activity: Activity) => void; entityLabels: boolean},
	) {
		this.#store = store;
		this.#reader = reader;
		this.#seam = seam;
		this.#pageSize = options.pageSize;
		this.#say = options.say;
		this.#entityLabels = options.entityLabels;
	}

	/** The server query for the pane's filter now; undefined when its reads are unfiltered. */
	query(): HistoryQuery | undefined {
		return filteredQuery(this.#store, this.#entityLabels);
	}

	/** Whether a hole is the seam between an extract read under the pane's filter and the contiguous part: not one to read across. */
	isSeam(hole: number): boolean {
		this.#check();
		const key = filterKey(this.#store);
		return (this.#older?.key === key && this.#older.boundary === hole) || (this.#newer?.key === key && this.#newer.boundary === hole);
	}

	/** The window was replaced (a line gone to, a search gone round the run): no extract is left in it. */
	forget(): void {
		this.#older = undefined;
		this.#newer = undefined;
	}

	/**
	 * The filter or floor changed: the extracts read under another are dropped at their boundary. Says
	 * where the cursor was (the id of its line) when it was on one, and whether the newest end was dropped
	 * while the pane followed it (then the live end is read again).
	 */
	dropStale(): {cursorId?: string; live: boolean} {
		this.#check();
		const key = filterKey(this.#store);
		const older = this.#older?.key === key ? undefined : this.#older;
		const newer = this.#newer?.key === key ? undefined : this.#newer;
		const {window, view} = this.#store;
		const cursor = view.following ? undefined : view.cursorPosition();
		const onExtract = cursor !== undefined && ((older !== undefined && cursor < older.boundary) || (newer !== undefined && cursor >= newer.boundary));
		const cursorId = onExtract ? window.idAtOrAfter(cursor) : undefined;
		if (newer) {
			this.#dropNewer(newer);
		}

		if (older) {
			this.#store.dropBelow(older.boundary);
			this.#older = undefined;
		}

		return {cursorId, live: newer !== undefined && view.following};
	}

	/** `G` is reading the newest page: the newer extract is given up, as the far side of a hole is. */
	dropNewer(): void {
		this.#check();
		if (this.#newer) {
			this.#dropNewer(this.#newer);
		}
	}

	/** Filtered pages before the oldest line held, until a screenful passes (at most FILTERED_READS_PER_MOVE requests). */
	async earlier(query: HistoryQuery, current: () => boolean): Promise<void> {
		const store = this.#store;
		const {window, index} = store;
		const key = filterKey(store);
		for (let reads = 0; reads < FILTERED_READS_PER_MOVE; reads++) {
			this.#check();
			const oldest = window.oldestId();
			const extract = this.#older?.key === key ? this.#older : undefined;
			const goesOn = extract !== undefined && extract.edge === oldest;
			if (oldest === undefined || window.earlierLines() === 0 || (goesOn && extract.next === undefined)) {
				return;
			}

			const first = window.first;
			const page = await this.#reader.before(goesOn ? extract.next : oldest, this.#pageSize(), query);
			if (!current() || window.oldestId() !== oldest || filterKey(store) !== key) {
				return;
			}

			const boundary = extract?.boundary ?? first;
			if (page.records.length > 0) {
				// The first lines of an extract keep a hole between them and the contiguous part; later ones read as contiguous.
				store.fillBefore({records: page.records, more: page.more}, this.#inExtract(first, key));
			} else if (!page.more) {
				// Nothing before passes the filter: under it, the oldest line held is the first.
				store.fillBefore({records: [], more: false});
			}

			this.#older = {key, boundary, edge: window.oldestId(), next: page.more ? page.next : undefined};
			if (!page.more || !this.#wantsMore(index.shown.lowerBound(first))) {
				return;
			}

			this.#say('searching older lines…');
		}
	}

	/** Filtered pages after the newest line held, until a screenful passes; the last one brings the live end back. */
	async later(query: HistoryQuery, current: () => boolean): Promise<void> {
		const store = this.#store;
		const {window, index} = store;
		const key = filterKey(store);
		for (let reads = 0; reads < FILTERED_READS_PER_MOVE && !window.liveHeld; reads++) {
			this.#check();
			const newest = window.newestId();
			if (newest === undefined) {
				return;
			}

			const extract = this.#newer?.key === key ? this.#newer : undefined;
			const goesOn = extract !== undefined && extract.edge === newest && extract.next !== undefined;
			const end = window.end;
			this.#seam.listen();
			const page = await this.#reader.after(goesOn ? extract.next! : newest, this.#pageSize(), query);
			if (!current() || window.newestId() !== newest || filterKey(store) !== key) {
				return;
			}

			const boundary = extract?.boundary ?? end;
			this.#seam.land(page, this.#inExtract(end - 1, key));
			this.#newer = {key, boundary, edge: window.newestId(), next: page.more ? page.next : undefined};
			if (!page.more || !this.#wantsMore(index.shown.length - index.shown.lowerBound(end))) {
				return;
			}

			this.#say('searching newer lines…');
		}
	}

	/**
	 * `g` under a filter: the first lines of the run that pass (`after=0` with `grep=`, narrowed to the held
	 * line's run where the reader can), in place of the window, as an extract that reads on toward live.
	 */
	async first(query: HistoryQuery, current: () => boolean): Promise<void> {
		const store = this.#store;
		const key = filterKey(store);
		const oldest = store.window.oldestId();
		let run: string | undefined;
		if (this.#reader.firstOfRun && oldest !== undefined) {
			run = (await this.#reader.after(String(Number(oldest) - 1), 1)).records[0]?.runId;
		}

		this.#seam.listen();
		let page: HistoryPage | undefined;
		let from = '0';
		for (let reads = 0; reads < FILTERED_READS_PER_MOVE; reads++) {
			if (!current() || filterKey(store) !== key) {
				return;
			}

			page = await this.#reader.after(from, this.#pageSize(), {...query, ...(run === undefined ? {} : {run})});
			if (page.records.length > 0 || page.next === undefined) {
				break;
			}

			from = page.next;
			this.#say('searching newer lines…');
		}

		if (!current() || filterKey(store) !== key || !page) {
			return;
		}

		if (page.records.length === 0) {
			throw new SearchMiss(page.more ? `no line passes the filter in ${FILTERED_READS_PER_MOVE} reads from the run's start` : 'no line of the run passes the filter');
		}

		this.forget();
		emptyWindow(store);
		const boundary = store.window.first;
		this.#seam.land(page, false);
		// Nothing before these passes the filter: under it, the first line held is the run's first.
		store.fillBefore({records: [], more: false});
		this.#newer = {key, boundary, edge: store.window.newestId(), next: page.more ? page.next : undefined};
	}

	/**
	 * Whether a filtered move should read on: fewer than a screenful of its lines passed (the server's grep
	 * can pass more than the pane's filter: its own task's label), and none did unless the window has room
	 * for another page (one that drops them would lose what was found).
	 */
	#wantsMore(passed: number): boolean {
		const {window, view, indexing} = this.#store;
		const room = window.size + this.#pageSize() <= window.capacity;
		return indexing === undefined && passed < view.size.rows && (passed === 0 || room);
	}

	#dropNewer(newer: Extract): void {
		if (newer.boundary <= this.#store.window.first) {
			// The whole window was read under the filter (`g` under it also said nothing passed before it).
			emptyWindow(this.#store);
		} else {
			this.#store.dropFrom(newer.boundary);
		}

		this.#newer = undefined;
	}

	/**
	 * Whether the held line at `position` was read under the filter `key` (at either end: an extract that
	 * has grown over the whole window is read on at both ends without a hole).
	 */
	#inExtract(position: number, key: string): boolean {
		const older = this.#older;
		const newer = this.#newer;
		return (
			this.#store.window.has(position) &&
			((older?.key === key && position < older.boundary) || (newer?.key === key && position >= newer.boundary))
		);
	}

	/** Forgets an extract the window no longer holds (evicted, dropped at the newest end to make room). */
	#check(): void {
		const {window} = this.#store;
		const older = this.#older;
		if (older && !(window.first < older.boundary || (window.first === older.boundary && window.oldestId() === older.edge))) {
			this.#older = undefined;
		}

		const newer = this.#newer;
		if (newer && !(window.end > newer.boundary || (window.end === newer.boundary && window.newestId() === newer.edge))) {
			this.#newer = undefined;
		}
	}
}
