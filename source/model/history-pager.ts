import type {HistoryPage, HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import {heldTarget, placeOnLine, readTarget, type GoToOutcome, type LineTarget} from './line-target.js';
import {MatchCounter} from './match-counter.js';
import {around, findMatch, matchPlaceText, READS_PER_SEARCH, type FoundMatch, type MatchPlace} from './match-search.js';
import type {PaneStore, SearchBeyond, ViewMove} from './pane-store.js';
import {runFirstPage} from './run-start.js';

/** Lines one history page reads (at most half the window, so a page filled in keeps the lines on screen). */
export const HISTORY_PAGE = 1000;
/**
 * Pages one move may read where a filter or level floor lets few lines through: enough to find a screenful
 * in a sparse filter, bounded so that a filter nothing passes does not read the whole run behind one key.
 */
export const PAGES_PER_MOVE = 8;

/** What the pager is doing, said in the pane's title and the status bar. */
export type PagerActivity = 'loading…' | 'searching older lines…' | 'searching newer lines…' | 'searching the run…';

/** A search that found nothing to show: said as it is, not as a failure of the history. */
class SearchMiss extends Error {}

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
	/** Live records heard while a page toward the live end is read; undefined when none is. */
	#heard?: LogRecord[];
	#heardOverflow = false;
	readonly #counter?: MatchCounter;
	/** Where a search that ran out of reads stopped, so that `n` again goes on from there. */
	#resume?: {key: string; from: string};
	/** The read of a goTo under way (its generation): a key that moves the view cancels it. */
	#goal?: number;

	constructor(store: PaneStore, reader: HistoryReader | undefined, onChange: () => void) {
		this.#store = store;
		this.#reader = reader;
		this.#onChange = onChange;
		store.window.readable = reader !== undefined;
		this.#counter = reader && new MatchCounter(store, reader, onChange);
		store.onSearchBeyond = (request) => this.searchBeyond(request);
		store.onMatch = () => {
			this.placeCursorMatch();
		};
	}

	/** Whether a read is under way. */
	get busy(): boolean {
		return this.#busy;
	}

	get #pageSize(): number {
		return Math.max(1, Math.min(HISTORY_PAGE, Math.floor(this.#store.window.capacity / 2)));
	}

	/** The view moved: reads what the move needs, if anything. */
	moved(move: ViewMove): void {
		if (!this.#reader) {
			return;
		}

		// The user moved while a goTo was read: its answer must not take the cursor from under the keys.
		if (this.#busy && this.#goal === this.#generation) {
			this.#cancel();
		}

		if (move === 'top') {
			void this.#run(async (current) => this.#first(current), true);
		} else if (move === 'bottom') {
			if (this.#store.window.liveHeld) {
				// Live with nothing to read: a read or a search still under way must not land under the user.
				this.#cancel();
			} else {
				void this.#run(async (current) => this.#toLive(current), true);
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

		void this.#run(async (current) => this.#search(request, current), true);
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
			outcome = await this.#readTarget(target, current);
		}, true);
		this.#goal = this.#generation;
		await reading;
		return outcome;
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
		if (!this.#heard) {
			return;
		}

		this.#heard.push(record);
		if (this.#heard.length > this.#store.window.capacity) {
			this.#heard.shift();
			this.#heardOverflow = true;
		}
	}

	/** Answers that come after this are dropped (the pane is closed). */
	dispose(): void {
		this.#generation++;
	}

	/** Drops the answer of the read under way, if any, as a superseding read does. */
	#cancel(): void {
		if (this.#busy) {
			this.#generation++;
			this.#busy = false;
			this.activity = undefined;
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
				void this.#run(async (current) => this.#later(current));
			} else if (window.size > 0 && window.earlierLines() !== 0) {
				void this.#run(async (current) => this.#earlier(current));
			}

			return;
		}

		if (view.following) {
			return;
		}

		const margin = view.size.rows;
		const rank = view.cursorRank();
		if (direction === -1) {
			const above = window.holeAtOrBefore(cursor);
			if (above !== undefined && rank - index.shown.lowerBound(above) <= margin) {
				void this.#run(async (current) => this.#acrossAbove(above, current));
			} else if (rank <= margin && window.earlierLines() !== 0) {
				void this.#run(async (current) => this.#earlier(current));
			}
		} else {
			const below = window.holeAfter(cursor);
			if (below !== undefined && index.shown.lowerBound(below) - rank <= margin + 1) {
				void this.#run(async (current) => this.#acrossBelow(below, current));
			} else if (!window.liveHeld && rank >= view.visibleCount() - 1 - margin) {
				void this.#run(async (current) => this.#later(current));
			}
		}
	}

	/** The page before the first line after the hole above; the lines older than the hole are given up. */
	async #acrossAbove(hole: number, current: () => boolean): Promise<void> {
		const id = this.#store.window.idAtOrAfter(hole);
		if (id === undefined) {
			return;
		}

		const page = await this.#reader!.before(id, this.#pageSize);
		if (!current() || this.#store.window.idAtOrAfter(hole) !== id) {
			return;
		}

		this.#store.dropBelow(hole);
		this.#store.fillBefore(page);
	}

	/** The page after the last line before the hole below; the lines past the hole are given up. */
	async #acrossBelow(hole: number, current: () => boolean): Promise<void> {
		const id = this.#store.window.idAtOrBefore(hole - 1);
		if (id === undefined) {
			return;
		}

		this.#listen();
		const page = await this.#reader!.after(id, this.#pageSize);
		if (!current() || this.#store.window.idAtOrBefore(hole - 1) !== id) {
			return;
		}

		this.#store.dropFrom(hole);
		this.#land(page, true);
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
				this.#heard = undefined;
				this.#onChange();
			}
		}
	}

	get #filtered(): boolean {
		return this.#store.filterText !== '' || this.#store.levelFloor !== undefined;
	}

	/**
	 * Whether a filtered read should go on: fewer than a screenful of the lines read passed, and none did
	 * unless the window has room for another page (one that drops them would lose what was found).
	 */
	#wantsMore(passed: number): boolean {
		const {window, view, indexing} = this.#store;
		const room = window.size + this.#pageSize <= window.capacity;
		return this.#filtered && indexing === undefined && passed < view.size.rows && (passed === 0 || room);
	}

	#say(activity: PagerActivity): void {
		this.activity = activity;
		this.#onChange();
	}

	/** Pages before the oldest line held, until a screenful passes the filter (one page unfiltered). */
	async #earlier(current: () => boolean): Promise<void> {
		const {window, index} = this.#store;
		for (let pages = 0; pages < PAGES_PER_MOVE && window.earlierLines() !== 0; pages++) {
			const oldest = window.oldestId();
			if (oldest === undefined) {
				return;
			}

			const from = window.first;
			const page = await this.#reader!.before(oldest, this.#pageSize);
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
	async #first(current: () => boolean): Promise<void> {
		const {window, view} = this.#store;
		const earlier = window.earlierLines();
		const oldest = window.oldestId();
		if (earlier === 0) {
			return;
		}

		if (oldest !== undefined && earlier !== undefined && earlier <= this.#pageSize) {
			await this.#earlier(current);
		} else {
			const page = await runFirstPage(this.#reader!, oldest, this.#pageSize);
			if (!current()) {
				return;
			}

			// The page meets what is held when it reaches the oldest line held: no hole between them then.
			const meets = oldest !== undefined && page.records.some((record) => Number(record.id) >= Number(oldest));
			this.#store.fillBefore({records: page.records, more: false}, meets);
			// A filter nothing in the first page passes: read on from the start, not back from the far side of the hole.
			const hole = window.holeAfter(window.first);
			if (this.#filtered && hole !== undefined && this.#store.index.shown.lowerBound(hole) === 0) {
				this.#store.dropFrom(hole);
				await this.#later(current);
			}
		}

		if (current()) {
			view.top();
		}
	}

	/** Pages after the newest line held, until a screenful passes the filter; the last one brings the live end back. */
	async #later(current: () => boolean): Promise<void> {
		const {window, index} = this.#store;
		for (let pages = 0; pages < PAGES_PER_MOVE && !window.liveHeld; pages++) {
			const newest = window.newestId();
			if (newest === undefined) {
				await this.#toLive(current);
				return;
			}

			const from = window.end;
			this.#listen();
			const page = await this.#reader!.after(newest, this.#pageSize);
			if (!current()) {
				return;
			}

			this.#land(page, true);
			if (page.records.length === 0 || !this.#wantsMore(index.shown.length - index.shown.lowerBound(from))) {
				return;
			}

			this.#say('searching newer lines…');
		}
	}

	/** `G` where the live end is not held: the newest page, a hole kept between it and what is held. */
	async #toLive(current: () => boolean): Promise<void> {
		this.#listen();
		const page = await this.#reader!.before(undefined, this.#pageSize);
		if (!current()) {
			return;
		}

		this.#land({records: page.records, more: false}, false);
	}

	/** The next match past `request.from`, loaded with the lines around it; see searchBeyond. */
	async #search(request: SearchBeyond, current: () => boolean): Promise<void> {
		const store = this.#store;
		const query = {grep: store.searchText, level: store.levelFloor};
		const key = `${request.direction} ${request.from} ${store.filterText} ${store.levelFloor ?? ''} ${store.searchText}`;
		const from = this.#resume?.key === key ? this.#resume.from : request.from;
		this.#resume = undefined;
		if (request.direction === 1) {
			this.#listen();
		}

		const found = await findMatch(this.#reader!, {...request, from}, query, (record) => store.showsHit(record), current);
		if (!current()) {
			return;
		}

		if (found.exhausted !== undefined) {
			this.#resume = {key, from: found.exhausted};
			throw new SearchMiss(`no match in ${READS_PER_SEARCH} reads of the run: ${request.direction === 1 ? 'n' : 'N'} searches on`);
		}

		if (found.match) {
			await this.#show(found.match, request, current);
			return;
		}

		// Nothing that way in the whole run: round to its other end, as vim goes round, and say so.
		const wrapped = await findMatch(this.#reader!, {direction: request.direction}, query, (record) => store.showsHit(record), current);
		if (!current()) {
			return;
		}

		if (!wrapped.match) {
			throw new SearchMiss(wrapped.exhausted === undefined ? 'no match in the run' : `no match in ${READS_PER_SEARCH} reads of the run`);
		}

		await this.#show(wrapped.match, undefined, current);
		if (current()) {
			throw new SearchMiss(request.direction === 1 ? 'search hit BOTTOM of the run, continuing at TOP' : 'search hit TOP of the run, continuing at BOTTOM');
		}
	}

	/**
	 * Puts the cursor on a match: where it is held already (beyond a hole in which there was none), at once;
	 * else the lines around it are read and fill the hole or the end the search crossed (`request`), or, for
	 * a search gone round the run (no request), take the whole window's place.
	 */
	async #show(match: LogRecord, request: SearchBeyond | undefined, current: () => boolean): Promise<void> {
		const store = this.#store;
		const direction = request?.direction ?? (Number(match.id) > Number(store.window.newestId()) ? 1 : -1);
		if (store.window.positionOf(match.id!) === undefined) {
			if (!request) {
				this.#listen();
			}

			const lines = await around(this.#reader!, match, Math.max(1, Math.floor(this.#pageSize / 2)));
			if (!current()) {
				return;
			}

			if (request) {
				if (!this.#landMatch(lines, request)) {
					return;
				}
			} else {
				store.dropFrom(store.window.first);
				this.#land({records: lines.records, more: lines.more.after}, false);
			}
		}

		const position = store.window.positionOf(match.id!);
		if (position !== undefined) {
			store.showMatch(position, direction);
			this.#counter?.count(match.id!);
		}
	}

	/** The target's line and the lines around it, read and landed in place of the window (see goTo). */
	async #readTarget(target: LineTarget, current: () => boolean): Promise<GoToOutcome> {
		const store = this.#store;
		this.#listen();
		const found = await readTarget(this.#reader!, target, Math.max(1, Math.floor(this.#pageSize / 2)), (id) => store.window.positionOf(id) !== undefined);
		if (!current()) {
			return {kind: 'dropped'};
		}

		if (!found) {
			return {kind: 'none'};
		}

		// Not held (the stream of a pane just opened on its run may have brought it meanwhile): the window is replaced.
		if (found.around && store.window.positionOf(found.line.id!) === undefined) {
			store.dropFrom(store.window.first);
			this.#land({records: found.around.records, more: found.around.more.after}, false);
			if (!found.around.more.before) {
				// Nothing before the page: the run's first line is held, and nothing above it is read.
				store.fillBefore({records: [], more: false});
			}
		}

		const position = store.window.positionOf(found.line.id!);
		return position === undefined ? {kind: 'dropped'} : placeOnLine(store, position);
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

			this.#land({records: found.records, more: found.more.after}, false);
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

	#listen(): void {
		this.#heard = [];
		this.#heardOverflow = false;
	}

	/**
	 * Fills a page in after the newest line held. The last page (`more: false`) brings the live end back,
	 * and the live records heard meanwhile that are newer than it are added; if more were heard than could
	 * be kept, the window stays short of live and the next page reads on.
	 */
	#land(page: HistoryPage, adjacent: boolean): void {
		const live = !page.more && !this.#heardOverflow;
		const heard = this.#heard ?? [];
		this.#heard = undefined;
		this.#store.fillAfter({records: page.records, more: !live}, adjacent);
		if (live) {
			for (const record of heard) {
				this.#store.append(record);
			}
		}
	}
}
