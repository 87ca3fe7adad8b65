import {HeldLines} from './held-lines.js';
import type {PaneLine} from './pane-line.js';

/** A line as the window files it: what it shows, the record's id (its key) and its place in its run. */
export type WindowEntry = {line: PaneLine; id?: string; seq?: number};

/** Ids the window orders by: the server's decimal ids, read as numbers while exact. */
const NUMERIC_ID = /^\d{1,15}$/;

/** Lines without a key (notices) looked past to find one: they are rare, and a stream without ids has none. */
const SCAN = 64;

function keyOf(id: string | undefined): number {
	return id !== undefined && NUMERIC_ID.test(id) ? Number(id) : Number.NaN;
}

/**
 * The lines one pane holds: a bounded window onto its stream, keyed by record id, fillable at both ends.
 * Lines sit at positions, consecutive integers that never change while a line is held: live lines get
 * the next position at the newest end, lines filled in from history get the ones below the oldest (they
 * go negative, which is fine). So the indexes over the window (filter, hits, cursor) survive fills and
 * evictions without renumbering.
 *
 * The window knows what it does not hold: lines evicted or never loaded before the oldest one (and how
 * many, when records carry their run's `seq`), holes between two held lines that were not adjacent in
 * the stream (a page filled in from further back), and whether its newest end is the live end. While it
 * is not (filling in older lines dropped the newest), live lines are counted and not held: the pane has
 * stopped following, and the next page after the newest line brings the window forward again.
 *
 * Per line: its message string and about 40 bytes (held-lines.ts; its id and seq are two more numbers
 * in typed arrays). `get` gives a line as an object of its own, `peek` a view for scans.
 */
export class LineWindow {
	readonly capacity: number;
	readonly #lines: HeldLines;
	readonly #keys: Float64Array;
	readonly #seqs: Float64Array;
	#first = 0;
	#end = 0;
	/** Positions p (first < p < end) with lines missing between p - 1 and p; ascending. */
	#holes: number[] = [];
	/** A history page said nothing comes before the oldest line held. */
	#startHeld = false;
	#liveHeld = true;
	#newestSeq = Number.NaN;
	/** The newest id a history page filled in at the newest end: live lines up to it are held already. */
	#filledTo = Number.NaN;
	/** Lines pushed out at the oldest end by newer ones. */
	evicted = 0;
	/** Lines dropped at the newest end to make room for older ones. */
	dropped = 0;
	/** Live lines that arrived while the newest end was not held. */
	newerNotHeld = 0;
	/**
	 * Whether lines not held can be read again (the source has a history): where they cannot, the marker
	 * above the oldest line says so.
	 */
	readable = true;
	/**
	 * Whether a line's `seq` (its place in its run) counts this window's lines: true for a whole run's stream.
	 * A task's (artifact's) lines are part of a run and `all` mixes runs: there `seq - 1` is not how many
	 * earlier lines the pane has, and earlierLines does not know (pane-store.ts sets it).
	 */
	seqCountsLines = true;

	constructor(capacity: number) {
		if (!Number.isInteger(capacity) || capacity < 1) {
			throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
		}

		this.capacity = capacity;
		this.#lines = new HeldLines(capacity);
		this.#keys = new Float64Array(capacity);
		this.#seqs = new Float64Array(capacity);
	}

	/** Position of the oldest line held. */
	get first(): number {
		return this.#first;
	}

	/** One past the position of the newest line held. */
	get end(): number {
		return this.#end;
	}

	get size(): number {
		return this.#end - this.#first;
	}

	/** Whether the newest line held is the newest the stream sent (live lines land in the window). */
	get liveHeld(): boolean {
		return this.#liveHeld;
	}

	has(position: number): boolean {
		return position >= this.#first && position < this.#end;
	}

	/** The line at `position`, as an object of its own. */
	get(position: number): PaneLine | undefined {
		return this.has(position) ? this.#lines.get(this.#slot(position)) : undefined;
	}

	/**
	 * The line at `position` as a view the next `peek` of this window moves: read it at once, keep none.
	 * What a scan over the whole window (a filter, `E`) reads, with no object made per line.
	 */
	peek(position: number): PaneLine | undefined {
		return this.has(position) ? this.#lines.peek(this.#slot(position)) : undefined;
	}

	/** Whether the user marked the line at `position` (`m`); a line no longer held is not. */
	isMarked(position: number): boolean {
		return this.has(position) && this.#lines.marked(this.#slot(position));
	}

	/** Marks or unmarks a held line; the mark goes with the line when the window gives it up. */
	setMarked(position: number, marked: boolean): void {
		if (this.has(position)) {
			this.#lines.setMarked(this.#slot(position), marked);
		}
	}

	/** The line's time as epoch milliseconds (NaN where its text is not a time), read with no line made. */
	timeAt(position: number): number | undefined {
		return this.has(position) ? this.#lines.time(this.#slot(position)) : undefined;
	}

	/** The line's order key: its record id, or for a stream without ids its position (arrival order). */
	keyAt(position: number): number | undefined {
		if (!this.has(position)) {
			return undefined;
		}

		const key = this.#keys[this.#slot(position)]!;
		return Number.isNaN(key) ? position : key;
	}

	/** The line's place in its run (`seq`), where its record carried one. */
	seqAt(position: number): number | undefined {
		if (!this.has(position)) {
			return undefined;
		}

		const seq = this.#seqs[this.#slot(position)]!;
		return Number.isNaN(seq) ? undefined : seq;
	}

	/** The id of the oldest line held that has one: where a history page before it starts. */
	oldestId(): string | undefined {
		return this.#idFrom(this.#first, 1);
	}

	/** The id of the newest line held that has one: where a history page after it starts. */
	newestId(): string | undefined {
		return this.#idFrom(this.#end - 1, -1);
	}

	/** The id of the line at `position` or the nearest before it that has one. */
	idAtOrBefore(position: number): string | undefined {
		return this.#idFrom(Math.min(position, this.#end - 1), -1);
	}

	/** The id of the line at `position` or the nearest after it that has one. */
	idAtOrAfter(position: number): string | undefined {
		return this.#idFrom(Math.max(position, this.#first), 1);
	}

	/** Where the line with record id `id` is held; undefined when it is not (ids ascend with positions, holes or not). */
	positionOf(id: string): number | undefined {
		const key = keyOf(id);
		if (Number.isNaN(key)) {
			return undefined;
		}

		// The first position whose key (or the next keyed one's, past notices) is at least `key`.
		let low = this.#first;
		let high = this.#end;
		while (low < high) {
			const middle = Math.floor((low + high) / 2);
			const keyed = this.#keyedFrom(middle);
			if (keyed !== undefined && keyed.key < key) {
				low = keyed.at + 1;
			} else {
				high = middle;
			}
		}

		const found = this.#keyedFrom(low);
		return found?.key === key ? found.at : undefined;
	}

	/** The first position from `position` on that holds a record's id, and the id's key. */
	#keyedFrom(position: number): {at: number; key: number} | undefined {
		for (let at = position; at < this.#end; at++) {
			const key = this.#keys[this.#slot(at)]!;
			if (!Number.isNaN(key)) {
				return {at, key};
			}
		}

		return undefined;
	}

	/** The first hole below `position` going down the window: lines missing right before the returned position. */
	holeAfter(position: number): number | undefined {
		return this.#holes[this.#firstHoleAbove(position)];
	}

	/** The nearest hole at or above `position` going up: lines missing right before the returned position. */
	holeAtOrBefore(position: number): number | undefined {
		const index = this.#firstHoleAbove(position) - 1;
		return index >= 0 ? this.#holes[index] : undefined;
	}

	/**
	 * Drops the lines from `position` to the newest: the far side of a hole, given up to read the lines
	 * across it in order (they are read again when the view comes back). The live end is no longer held.
	 */
	dropFrom(position: number): void {
		this.#dropNewest(this.#end - Math.max(position, this.#first));
		// The newest end is given up even where no line was there to drop (as dropBelow gives up the start): an
		// empty window about to take a page from the history would otherwise join the live lines on after it.
		this.#liveHeld = false;
	}

	/** Drops the lines older than `position`: the far side of a hole above, given up likewise. */
	dropBelow(position: number): void {
		const to = Math.min(position, this.#end);
		for (; this.#first < to; this.#first++) {
			this.#lines.clear(this.#slot(this.#first));
		}

		this.#startHeld = false;
		this.#holes = this.#holes.slice(this.#firstHoleAbove(this.#first));
	}

	/** Whether lines are missing between two held positions (`a` < `b`), as a filter that skips across must show. */
	holeBetween(a: number, b: number): boolean {
		const index = this.#firstHoleAbove(a);
		return index < this.#holes.length && this.#holes[index]! <= b;
	}

	/**
	 * How many lines of its run come before the oldest line held: 0 when a history page said none do,
	 * undefined when records carry no `seq` to tell, or their `seq` does not count the window's lines.
	 */
	earlierLines(): number | undefined {
		if (this.#startHeld) {
			return 0;
		}

		if (!this.seqCountsLines) {
			return undefined;
		}

		const seq = this.#seqFrom(this.#first, 1);
		return seq === undefined ? undefined : seq - 1;
	}

	/**
	 * Which lines of the run are held, when records carry `seq`: `{from: 120_400, to: 121_400, of: 2_000_000}`
	 * (of: the newest seq the stream has sent, held or not).
	 */
	heldRange(): {from: number; to: number; of: number} | undefined {
		const from = this.#seqFrom(this.#first, 1);
		const to = this.#seqFrom(this.#end - 1, -1);
		return from === undefined || to === undefined ? undefined : {from, to, of: Math.max(to, this.#newestSeq)};
	}

	/**
	 * A live line: held at the newest end (evicting the oldest when full) and its position returned; while
	 * the newest end is not held, counted and not held (undefined). A line whose id is not above the last one
	 * a history page filled in at the newest end is one that page brought already (the stream delivered it
	 * after the page was read): skipped.
	 */
	append(entry: WindowEntry): number | undefined {
		if (entry.seq !== undefined && !(entry.seq <= this.#newestSeq)) {
			this.#newestSeq = entry.seq;
		}

		if (!this.#liveHeld) {
			this.newerNotHeld++;
			return undefined;
		}

		if (keyOf(entry.id) <= this.#filledTo) {
			return undefined;
		}

		return this.#push(entry);
	}

	/**
	 * A history page right after the newest line held (ascending; lines already held are skipped). Fills
	 * the newest end, evicting the oldest when full; `more: false` says it reached the live end.
	 * `adjacent: false`: the page is from further on (the newest lines of the stream), with a hole kept
	 * between it and what is held, unless it reaches back over the newest line held.
	 */
	fillAfter(entries: WindowEntry[], more: boolean, adjacent = true): number {
		const newest = this.#keyFrom(this.#end - 1, -1);
		const overlaps = newest !== undefined && entries.length > 0 && keyOf(entries[0]!.id) <= newest;
		let added = 0;
		for (const entry of entries) {
			if (newest === undefined || keyOf(entry.id) > newest) {
				this.#filledTo = keyOf(entry.id);
				if (added === 0 && !adjacent && !overlaps && this.size > 0) {
					this.#holes.push(this.#end);
				}

				this.#push(entry);
				added++;
			}
		}

		for (const entry of entries) {
			if (entry.seq !== undefined && !(entry.seq <= this.#newestSeq)) {
				this.#newestSeq = entry.seq;
			}
		}

		if (!more) {
			this.#liveHeld = true;
			this.newerNotHeld = 0;
		}

		return added;
	}

	/**
	 * A history page before the oldest line held (ascending; lines already held are skipped). `adjacent`:
	 * the page ends right before the oldest line held (a page of "the lines before id X"); else a hole is
	 * kept between them. `more: false` says the page starts at the beginning. When the window is full, the
	 * newest lines are dropped to make room: the window no longer reaches the live end. Returns the number
	 * of lines filled in.
	 */
	fillBefore(entries: WindowEntry[], options: {more: boolean; adjacent?: boolean}): number {
		const oldest = this.#keyFrom(this.#first, 1);
		let page = oldest === undefined ? entries : entries.filter((entry) => keyOf(entry.id) < oldest);
		if (page.length === 0) {
			// An empty page "before the oldest" with nothing further says the oldest line held is the first.
			if (!options.more && options.adjacent !== false) {
				this.#startHeld = true;
			}

			return 0;
		}

		if (page.length > this.capacity) {
			page = page.slice(-this.capacity);
			options = {...options, more: true};
		}

		this.#dropNewest(Math.max(0, page.length - (this.capacity - this.size)));
		if (this.size > 0 && options.adjacent === false) {
			this.#holes.unshift(this.#first);
		}

		this.#first -= page.length;
		for (const [index, entry] of page.entries()) {
			this.#put(this.#first + index, entry);
		}

		this.#startHeld = !options.more;
		return page.length;
	}

	#push(entry: WindowEntry): number {
		if (this.size === this.capacity) {
			this.#lines.clear(this.#slot(this.#first));
			this.#first++;
			this.evicted++;
			this.#startHeld = false;
			if (this.#holes[0] === this.#first) {
				this.#holes.shift();
			}
		}

		const position = this.#end++;
		this.#put(position, entry);
		return position;
	}

	#dropNewest(count: number): void {
		if (count <= 0) {
			return;
		}

		for (let index = 0; index < count; index++) {
			this.#lines.clear(this.#slot(--this.#end));
		}

		this.dropped += count;
		this.#liveHeld = false;
		this.#holes.length = this.#firstHoleAbove(this.#end - 1);
	}

	#put(position: number, entry: WindowEntry): void {
		const slot = this.#slot(position);
		this.#lines.put(slot, entry.line);
		this.#keys[slot] = keyOf(entry.id);
		this.#seqs[slot] = entry.seq ?? Number.NaN;
	}

	/** Index in #holes of the first hole at a position above `position`. */
	#firstHoleAbove(position: number): number {
		let low = 0;
		let high = this.#holes.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			if (this.#holes[middle]! <= position) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low;
	}

	#slot(position: number): number {
		const slot = position % this.capacity;
		return slot < 0 ? slot + this.capacity : slot;
	}

	/** The first number found in `numbers` from `position` going `step` (notices have none). */
	#numberFrom(numbers: Float64Array, position: number, step: 1 | -1): number | undefined {
		for (let at = position; this.has(at) && Math.abs(at - position) < SCAN; at += step) {
			const value = numbers[this.#slot(at)]!;
			if (!Number.isNaN(value)) {
				return value;
			}
		}

		return undefined;
	}

	#keyFrom(position: number, step: 1 | -1): number | undefined {
		return this.#numberFrom(this.#keys, position, step);
	}

	#seqFrom(position: number, step: 1 | -1): number | undefined {
		return this.#numberFrom(this.#seqs, position, step);
	}

	#idFrom(position: number, step: 1 | -1): string | undefined {
		const key = this.#keyFrom(position, step);
		return key === undefined ? undefined : String(key);
	}
}
