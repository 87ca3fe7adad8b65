import type {HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import {FilteredReads, filterKey} from './filtered-reads.js';
import {heldTarget, landTarget, type GoToOutcome, type LineTarget} from './line-target.js';
import {LiveSeam} from './live-seam.js';
import {MatchCounter} from './match-counter.js';
import {matchPlaceText, type MatchPlace} from './match-search.js';
import type {PaneStore, SearchBeyond, ViewMove} from './pane-store.js';
import {PageReads, type PagerActivity} from './page-reads.js';
import {PastWindowSearch, SearchMiss} from './search-past-window.js';

/** Lines one history page reads (at most half the window, so a page filled in keeps the lines on screen). */
export const HISTORY_PAGE = 1000;
export {PAGES_PER_MOVE, type PagerActivity} from './page-reads.js';

/**
 * Fills a pane's window from its history as the view moves, so the pane scrolls back to the run's first
 * line while holding no more than its scrollback. Near the oldest line held it reads the page before it;
 * `g` reads the run's first page (a hole is kept between it and what is held); near the newest line held,
 * when that is not the live end, it reads the page after it, until the answer says nothing is newer and
 * the pane holds live lines again; `G` reads the newest page at once.
 *
 * Reads never block a key: each is a promise whose answer is filled in when it comes, while keys go on
 * landing (a move during a read asks for nothing more; `g` and `G` supersede the read, whose answer is then
 * dropped). Live records heard while a page toward the live end is read are kept until it lands, and the
 * ones newer than the page are added after it: none is lost, and none doubled (ids are the key).
 */
export class HistoryPager {
	activity?: PagerActivity;
	/** The last read's failure (server down): said in the status bar until a read succeeds. */
	error?: string;
	readonly #store: PaneStore;
	readonly #reader?: HistoryReader;
	readonly #onChange: () => void;
	#generation = 0;
	#busy = false;
	readonly #seam: LiveSeam;
	readonly #counter?: MatchCounter;
	readonly #search?: PastWindowSearch;
	readonly #filtered?: FilteredReads;
	readonly #pages?: PageReads;
	/** The filter and level floor the pager last saw (filterKey): extracts read under another are dropped. */
	#key: string;
	/** The read of a goTo under way (its generation): a key that moves the view cancels it. */
	#goal?: number;

	/** `entityLabels`: the pane's labels name the entity too (`all`), which the server's grep does not match. */
	constructor(store: PaneStore, reader: HistoryReader | undefined, onChange: () => void, options: {entityLabels?: boolean} = {}) {
		this.#store = store;
		this.#reader = reader;
		this.#onChange = onChange;
		store.window.readable = reader !== undefined;
		this.#seam = new LiveSeam(store);
		this.#counter = reader && new MatchCounter(store, reader, onChange);
		if (reader) {
			const pageSize = () => this.#pageSize;
			const say = (activity: PagerActivity) => {
				this.#say(activity);
			};

			const filtered = new FilteredReads(store, reader, this.#seam, {pageSize, say, entityLabels: options.entityLabels ?? false});
			this.#filtered = filtered;
			this.#pages = new PageReads(store, reader, this.#seam, filtered, {pageSize, say});
			// A match landed in place of the whole window leaves no extract in it.
			this.#search = new PastWindowSearch(store, reader, this.#seam, this.#counter, () => {
				filtered.forget();
			});
		}

		this.#key = filterKey(store);
		store.onSearchBeyond = (request) => this.searchBeyond(request);
		store.onMatch = () => {
			this.placeCursorMatch();
		};
	}

	/** Whether a read is under way. */
	get busy(): boolean {
		return this.#busy;
	}

	/** Whether live records are being kept for a read toward the live end (up to a window's worth). */
	get keepsLive(): boolean {
		return this.#seam.listening;
	}

	get #pageSize(): number {
		return Math.max(1, Math.min(HISTORY_PAGE, Math.floor(this.#store.window.capacity / 2)));
	}

	/** Lines read on each side of a line landed on (goTo, a match): half a page. */
	get #half(): number {
		return Math.max(1, Math.floor(this.#pageSize / 2));
	}

	/** The view moved: reads what the move needs, if anything. */
	moved(move: ViewMove): void {
		if (!this.#reader) {
			return;
		}

		// A filter changed without being said (filterChanged): its extracts go before anything is read.
		if (filterKey(this.#store) !== this.#key) {
			this.filterChanged();
		}

		// The user moved while a goTo was read: its answer must not take the cursor from under the keys.
		if (this.#busy && this.#goal === this.#generation) {
			this.#cancel();
		}

		if (move === 'top') {
			void this.#run(async (current) => this.#pages!.first(current), true);
		} else if (move === 'bottom') {
			if (this.#store.window.liveHeld) {
				// Live with nothing to read: a read or a search still under way must not land under the user.
				this.#cancel();
			} else {
				void this.#run(async (current) => this.#pages!.toLive(current), true);
			}
		} else {
			this.#nearEdge(move === 'up' ? -1 : 1);
		}
	}

	/**
	 * `n` / `N` past what is held: the history is searched for the next match in that direction (one read of
	 * matches at a time, at most READS_PER_SEARCH), and the window around it is loaded, the cursor on it.
	 * Keys go on landing meanwhile; a move that reads supersedes nothing, `g`, `G` and another search do.
	 */
	searchBeyond(request: SearchBeyond): boolean {
		if (!this.#reader) {
			return false;
		}

		void this.#run(async (current) => this.#search!.search(request, this.#half, current), true);
		this.#say('searching the run…');
		return true;
	}

	/**
	 * Puts the cursor on a line anywhere in the run (LineTarget): at once where it is held, else the lines
	 * around it are read (those before it too, for context above) in place of the window, and the cursor goes
	 * there once, as the answer lands. Like `g` and `G` it supersedes a read under way; keys go on landing
	 * meanwhile (the pane says loading…), and one that moves the view cancels it. Without a history only the
	 * lines held are looked at.
	 */
	async goTo(target: LineTarget): Promise<GoToOutcome> {
		const held = heldTarget(this.#store, target, this.#reader);
		if (held) {
			this.#cancel();
			this.#onChange();
			return held;
		}

		// Not held, and a history to read (heldTarget answers for a pane without one).
		let outcome: GoToOutcome = {kind: 'dropped'};
		const reading = this.#run(async (current) => {
			outcome = await landTarget(this.#store, this.#reader!, this.#seam, target, this.#half, current, () => {
				this.#filtered?.forget();
			});
		}, true);
		this.#goal = this.#generation;
		await reading;
		return outcome;
	}

	/**
	 * The pane's filter or level floor changed (as typed, or cleared): the lines read under the old one
	 * beyond an end (filtered extracts) are dropped, since they are not contiguous in the run. If the cursor
	 * was on one of them, the pane goes to that line (goTo), now read with the lines around it; if it
	 * followed live, the newest page is read again; else nothing moves.
	 */
	filterChanged(): void {
		const key = filterKey(this.#store);
		if (key === this.#key || !this.#filtered) {
			this.#key = key;
			return;
		}

		this.#key = key;
		// A filtered read under way sees the key change as it lands and lands nothing (filtered-reads.ts).
		const {cursorId, live} = this.#filtered.dropStale();
		if (cursorId !== undefined) {
			void this.goTo({id: cursorId});
		} else if (live) {
			void this.#run(async (current) => this.#pages!.toLive(current), true);
		}
	}

	/** Which match of the run the cursor is on (`match 3 of 41 in the run`), where the server counted it. */
	matchPlace(): MatchPlace | undefined {
		return this.#counter?.place();
	}

	/** The status bar's words for matchPlace. */
	matchPlaceText(): string | undefined {
		const place = this.matchPlace();
		return place ? matchPlaceText(place) : undefined;
	}

	/** Asks the server where the hit under the cursor is among the run's matches. */
	placeCursorMatch(): void {
		this.#counter?.countCursor();
	}

	/** A live record, as the stream delivered it (after the store took it). */
	heard(record: LogRecord): void {
		this.#seam.heard(record);
	}

	/** Answers that come after this are dropped (the pane is closed). */
	dispose(): void {
		this.#generation++;
		this.#seam.forget();
	}

	/**
	 * Drops the answer of the read under way, if any, as a superseding read does. Its seam stops listening
	 * too: #run's finally does that only for a read still current, and a seam left listening kept every live
	 * record (up to a window's worth) until some later read began.
	 */
	#cancel(): void {
		if (this.#busy) {
			this.#generation++;
			this.#busy = false;
			this.activity = undefined;
			this.#seam.forget();
			this.#onChange();
		}
	}

	/**
	 * Near an end held (a screenful away), or near a hole the view is about to cross, in the way it moves,
	 * reads the lines there. A hole is crossed in order: the page across it is read, and what lies beyond
	 * the hole is given up.
	 */
	#nearEdge(direction: 1 | -1): void {
		const {view, window, index} = this.#store;
		const cursor = view.cursorPosition();
		// A filter that passes nothing held: a move reads on into older lines (newer ones, going down away from live).
		if (cursor === undefined) {
			if (window.size > 0 && direction === 1 && !window.liveHeld) {
				void this.#run(async (current) => this.#pages!.later(current));
			} else if (window.size > 0 && window.earlierLines() !== 0) {
				void this.#run(async (current) => this.#pages!.earlier(current));
			}

			return;
		}

		if (view.following) {
			return;
		}

		const margin = view.size.rows;
		const rank = view.cursorRank();
		if (direction === -1) {
			// The seam of a filtered extract is no hole to read across while the filter is the same.
			const hole = window.holeAtOrBefore(cursor);
			const above = hole === undefined || this.#filtered?.isSeam(hole) ? undefined : hole;
			if (above !== undefined && rank - index.shown.lowerBound(above) <= margin) {
				void this.#run(async (current) => this.#pages!.acrossAbove(above, current));
			} else if (rank <= margin && window.earlierLines() !== 0) {
				void this.#run(async (current) => this.#pages!.earlier(current));
			}
		} else {
			const hole = window.holeAfter(cursor);
			const below = hole === undefined || this.#filtered?.isSeam(hole) ? undefined : hole;
			if (below !== undefined && index.shown.lowerBound(below) - rank <= margin + 1) {
				void this.#run(async (current) => this.#pages!.acrossBelow(below, current));
			} else if (!window.liveHeld && rank >= view.visibleCount() - 1 - margin) {
				void this.#run(async (current) => this.#pages!.later(current));
			}
		}
	}

	#say(activity: PagerActivity): void {
		this.activity = activity;
		this.#onChange();
	}

	/** One read at a time; `supersede` (g, G) starts at once and drops the answer of the read under way. */
	async #run(task: (current: () => boolean) => Promise<void>, supersede = false): Promise<void> {
		if (this.#busy && !supersede) {
			return;
		}

		const generation = ++this.#generation;
		const current = () => generation === this.#generation;
		this.#busy = true;
		this.activity = 'loading…';
		this.#onChange();
		try {
			await task(current);
			if (current()) {
				this.error = undefined;
			}
		} catch (error) {
			if (current()) {
				this.error = error instanceof SearchMiss ? error.message : `history: ${(error as Error).message}`;
			}
		} finally {
			if (current()) {
				this.#busy = false;
				this.activity = undefined;
				this.#seam.forget();
				this.#onChange();
			}
		}
	}

}
