import type {LineWindow} from './line-window.js';
import type {PaneLine} from './pane-line.js';

/**
 * A pane as the merged timeline reads it: its id (stable while it is open) and its window. `shared`: its
 * lines are keyed by the server's record ids, as every other shared source's are, so a record two panes
 * hold (an automation and one of its tasks) is one line of the timeline, not two.
 */
export type MergedSource = {id: number; window: LineWindow; shared?: boolean};

/** Where a merged entry's line is: the source's place in the list given to `sync`, and its window position. */
export type EntryPlace = {source: number; position: number};

/*
 * An entry is two numbers: the line's time (epoch ms) and a key that orders lines of one time by source,
 * then position: source * 2^42 + position + 2^41 (positions go negative when history is filled in below).
 * Both stay exact doubles for up to 1,024 sources and ±2^41 positions.
 */
const SOURCE_SPAN = 2 ** 42;
const POSITION_OFFSET = 2 ** 41;

export function entryKey(source: number, position: number): number {
	return source * SOURCE_SPAN + position + POSITION_OFFSET;
}

function placeOf(key: number): EntryPlace {
	const source = Math.floor(key / SOURCE_SPAN);
	return {source, position: key - source * SOURCE_SPAN - POSITION_OFFSET};
}

/** What a source's window looked like at the last sync: the positions indexed and what it had evicted and dropped. */
type Seen = {id: number; window: LineWindow; shared: boolean; first: number; end: number; dropped: number};

/** A held line's time as epoch milliseconds, read from the window's column; a time that does not parse sorts first. */
function timeOf(window: LineWindow, position: number): number {
	const time = window.timeAt(position) ?? Number.NaN;
	return Number.isNaN(time) ? -Infinity : time;
}

/**
 * A second index over several panes' windows: the lines a predicate lets through, as (source, position)
 * ordered by (time, source, position). The windows hold the lines; this holds two numbers per line.
 *
 * `sync` brings it up to date incrementally: the panes' new lines at their newest ends are added (pushed
 * when they are newer than all, as one live stream's are; else, lines older than the newest from a slower
 * stream, sorted among themselves and merged into the tail they reach, found by binary search), and lines a window evicted at its oldest end are dropped from the
 * head of the order, scanning no further than that window's oldest line's time. Anything else a window
 * does (lines filled in below, the newest end dropped, panes opened or closed) and a new predicate rebuild
 * it: a sort of the lines held, on a key, never per frame.
 */
export class MergedIndex {
	#times: number[] = [];
	#keys: number[] = [];
	#head = 0;
	#seen: Seen[] = [];
	#passes: (line: PaneLine) => boolean;

	constructor(passes: (line: PaneLine) => boolean = () => true) {
		this.#passes = passes;
	}

	get length(): number {
		return this.#times.length - this.#head;
	}

	/** A new predicate: every line held is tested again at the next sync. */
	setPredicate(passes: (line: PaneLine) => boolean): void {
		this.#passes = passes;
		this.#seen = [];
	}

	/** The place of the entry at `rank` (0: the oldest). */
	at(rank: number): EntryPlace | undefined {
		return rank >= 0 && rank < this.length ? placeOf(this.#keys[this.#head + rank]!) : undefined;
	}

	/** The entry at `rank` as (time, key), an anchor that keeps its line however many lines are placed before it. */
	anchorAt(rank: number): {time: number; key: number} | undefined {
		return rank >= 0 && rank < this.length ? {time: this.#times[this.#head + rank]!, key: this.#keys[this.#head + rank]!} : undefined;
	}

	/** Rank of the first entry after (time, key) in the order: how many entries sort at or before it. */
	upperBound(time: number, key: number): number {
		let low = this.#head;
		let high = this.#times.length;
		while (low < high) {
			const middle = (low + high) >>> 1;
			const t = this.#times[middle]!;
			if (t < time || (t === time && this.#keys[middle]! <= key)) {
				low = middle + 1;
			} else {
				high = middle;
			}
		}

		return low - this.#head;
	}

	/** Brings the index up to `sources` (in their order now); true when it was rebuilt (ranks all changed). */
	sync(sources: readonly MergedSource[]): boolean {
		if (!this.#sameSources(sources) || this.#needsRebuild()) {
			this.#rebuild(sources);
			return true;
		}

		let bound = -Infinity;
		for (const seen of this.#seen) {
			const {first} = seen.window;
			if (first > seen.first) {
				// Evicted at the oldest end: their entries are at most as new as the oldest line held.
				bound = Math.max(bound, seen.window.has(first) ? timeOf(seen.window, first) : Infinity);
				seen.first = first;
			}
		}

		if (bound > -Infinity) {
			this.#dropEvicted(bound);
		}

		const added: Array<[number, number]> = [];
		// Records this sync brings from more than one shared pane: the first pane's line stands for them.
		const batch = new Set<number>();
		for (const [source, seen] of this.#seen.entries()) {
			const {first, end} = seen.window;
			for (let position = Math.max(seen.end, first); position < end; position++) {
				if (this.#passes(seen.window.peek(position)!)) {
					const time = timeOf(seen.window, position);
					const id = seen.shared ? seen.window.keyAt(position) : undefined;
					if (id === undefined || Number.isNaN(id) || (!batch.has(id) && !this.#holdsRecord(time, id))) {
						added.push([time, entryKey(source, position)]);
						if (id !== undefined) {
							batch.add(id);
						}
					}
				}
			}

			seen.end = end;
		}

		this.#add(added);
		return false;
	}

	/**
	 * Drops every entry whose window no longer holds it: what a read does on meeting one the bounded drop
	 * left (a window's times out of order). Costs the whole index, once per such window's straggler.
	 */
	dropUnheld(sources: readonly MergedSource[]): void {
		let write = 0;
		const times: number[] = [];
		const keys: number[] = [];
		for (let read = this.#head; read < this.#times.length; read++) {
			const {source, position} = placeOf(this.#keys[read]!);
			if (sources[source]?.window.has(position)) {
				times[write] = this.#times[read]!;
				keys[write++] = this.#keys[read]!;
			}
		}

		this.#times = times;
		this.#keys = keys;
		this.#head = 0;
	}

	#sameSources(sources: readonly MergedSource[]): boolean {
		return sources.length === this.#seen.length && sources.every((source, index) => this.#seen[index]!.id === source.id && this.#seen[index]!.window === source.window);
	}

	/** Lines filled in below the oldest (positions evicted before may be given again) or the newest end dropped. */
	#needsRebuild(): boolean {
		return this.#seen.some((seen) => seen.window.first < seen.first || seen.window.dropped !== seen.dropped || seen.window.end < seen.end);
	}

	#rebuild(sources: readonly MergedSource[]): void {
		const entries: Array<[number, number]> = [];
		for (const [source, {window}] of sources.entries()) {
			for (let position = window.first; position < window.end; position++) {
				if (this.#passes(window.peek(position)!)) {
					entries.push([timeOf(window, position), entryKey(source, position)]);
				}
			}
		}

		entries.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		// A record held by several shared panes sorts into one block of its time: the first of it stands.
		let blockTime = Number.NaN;
		const blockIds = new Set<number>();
		const kept = entries.filter(([time, key]) => {
			const {source, position} = placeOf(key);
			const id = sources[source]!.shared ? sources[source]!.window.keyAt(position) : undefined;
			if (id === undefined || Number.isNaN(id)) {
				return true;
			}

			if (time !== blockTime) {
				blockTime = time;
				blockIds.clear();
			}

			const first = !blockIds.has(id);
			blockIds.add(id);
			return first;
		});
		this.#times = kept.map((entry) => entry[0]);
		this.#keys = kept.map((entry) => entry[1]);
		this.#head = 0;
		this.#seen = sources.map(({id, window, shared}) => ({id, window, shared: shared === true, first: window.first, end: window.end, dropped: window.dropped}));
	}

	/** Whether a shared pane's line of record `id` at `time` is indexed already: entries of one time are one block. */
	#holdsRecord(time: number, id: number): boolean {
		for (let index = this.#head + this.upperBound(time, -Infinity); index < this.#times.length && this.#times[index] === time; index++) {
			const {source, position} = placeOf(this.#keys[index]!);
			const seen = this.#seen[source]!;
			if (seen.shared && seen.window.keyAt(position) === id) {
				return true;
			}
		}

		return false;
	}

	/**
	 * New entries, in the order their windows gave them. Newer than every entry held (one live stream): pushed.
	 * Else (several streams, a slower one's lines older than the newest held): sorted, and merged with the
	 * entries newer than the oldest of them, which is a binary search and the tail they reach into; never a
	 * sort or a copy of the whole index.
	 */
	#add(added: Array<[number, number]>): void {
		let ordered = true;
		let lastTime = this.length > 0 ? this.#times.at(-1)! : -Infinity;
		let lastKey = this.length > 0 ? this.#keys.at(-1)! : -Infinity;
		for (const [time, key] of added) {
			if (time < lastTime || (time === lastTime && key < lastKey)) {
				ordered = false;
				break;
			}

			[lastTime, lastKey] = [time, key];
		}

		if (ordered) {
			for (const [time, key] of added) {
				this.#times.push(time);
				this.#keys.push(key);
			}

			return;
		}

		added.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
		const from = this.#head + this.upperBound(added[0]![0], added[0]![1]);
		const tailTimes = this.#times.splice(from);
		const tailKeys = this.#keys.splice(from);
		let tail = 0;
		for (const [time, key] of added) {
			while (tail < tailTimes.length && (tailTimes[tail]! < time || (tailTimes[tail] === time && tailKeys[tail]! < key))) {
				this.#times.push(tailTimes[tail]!);
				this.#keys.push(tailKeys[tail++]!);
			}

			this.#times.push(time);
			this.#keys.push(key);
		}

		for (; tail < tailTimes.length; tail++) {
			this.#times.push(tailTimes[tail]!);
			this.#keys.push(tailKeys[tail]!);
		}
	}

	/**
	 * Drops entries no longer held among those at or before `bound` in time, from the head: the kept ones
	 * move up to close the gaps, the head moves past the freed slots. Costs the entries up to the bound.
	 */
	#dropEvicted(bound: number): void {
		const stop = this.#head + this.upperBound(bound, Infinity);
		let write = stop - 1;
		for (let read = stop - 1; read >= this.#head; read--) {
			// placeOf without its object: this runs for every line evicted, 20,000 a second under load.
			const key = this.#keys[read]!;
			const source = Math.floor(key / SOURCE_SPAN);
			if (this.#seen[source]!.window.has(key - source * SOURCE_SPAN - POSITION_OFFSET)) {
				this.#times[write] = this.#times[read]!;
				this.#keys[write--] = this.#keys[read]!;
			}
		}

		this.#head = write + 1;
		// The dead head is given back now and then, so it does not grow without bound.
		if (this.#head > 4096 && this.#head * 2 > this.#times.length) {
			this.#times = this.#times.slice(this.#head);
			this.#keys = this.#keys.slice(this.#head);
			this.#head = 0;
		}
	}
}
