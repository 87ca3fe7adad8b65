import {LEVELS, type Level} from '../protocol/levels.js';
import type {PaneLine} from './pane-line.js';

/** A line's `[label]` and, on a pane over every entity, whose it is: one object shared by its lines. */
type LineTag = {label: string; entity?: string};

/** Distinct tags kept for sharing; past this (a label per line, say) the table starts again. */
const TAGS_KEPT = 4096;
const NOTICE = 0x10;
/** A notice that marks a quiet stretch of the stream (quiet-gap.ts): drawn dim. */
const QUIET = 0x20;
/** The user marked the line (`m`); cleared with the slot, so a mark lasts while its line is held. */
const MARKED = 0x40;
const LEVEL_BITS = 0x0f;

/**
 * The lines a window holds, a column per field, one slot per line (the window maps positions to slots).
 * A PaneLine object per line, its timestamp text and a `[label]` string per line cost about 130 bytes a
 * line besides the message; held here, a line is its message string and 25 bytes: the time as epoch
 * milliseconds (8), level and notice in a byte, a reference to a shared tag (8), the message's (8).
 *
 * A time whose text does not come back exactly from its milliseconds (not toISOString's form: a test's
 * `10:00:00Z`, a notice's given text) keeps its text, in a side table that stays empty for a dbtail server.
 */
export class HeldLines {
	readonly #messages: Array<string | undefined>;
	readonly #tags: Array<LineTag | undefined>;
	readonly #times: Float64Array;
	/** Level index + 1 (0: empty slot), and NOTICE. */
	readonly #kinds: Uint8Array;
	/** Slots whose time text is not toISOString of their milliseconds, and that text. */
	readonly #timeTexts = new Map<number, string>();
	#tagTable = new Map<string, LineTag>();
	/** What peek returns: one object, reused. */
	readonly #view: LineView;

	constructor(capacity: number) {
		this.#messages = Array.from({length: capacity});
		this.#tags = Array.from({length: capacity});
		this.#times = new Float64Array(capacity);
		this.#kinds = new Uint8Array(capacity);
		this.#view = new LineView(this);
	}

	put(slot: number, line: PaneLine): void {
		this.#messages[slot] = line.message;
		this.#tags[slot] = line.label === undefined ? undefined : this.#tag(line.label, line.entity);
		this.#kinds[slot] = (LEVELS.indexOf(line.level) + 1) | (line.notice ? NOTICE : 0) | (line.quiet ? QUIET : 0);
		const canonical = canonicalTime(line.timestamp);
		const time = canonical ?? Date.parse(line.timestamp);
		this.#times[slot] = time;
		if (canonical === undefined && (Number.isNaN(time) || new Date(time).toISOString() !== line.timestamp)) {
			this.#timeTexts.set(slot, line.timestamp);
		} else if (this.#timeTexts.size > 0) {
			this.#timeTexts.delete(slot);
		}
	}

	clear(slot: number): void {
		this.#messages[slot] = undefined;
		this.#tags[slot] = undefined;
		this.#kinds[slot] = 0;
		if (this.#timeTexts.size > 0) {
			this.#timeTexts.delete(slot);
		}
	}

	/** The line in `slot` as an object of its own, which the caller may keep. */
	get(slot: number): PaneLine {
		const tag = this.#tags[slot];
		const line: PaneLine = {timestamp: this.timestamp(slot), level: this.level(slot), message: this.message(slot), label: tag?.label, notice: this.notice(slot)};
		if (tag?.entity !== undefined) {
			line.entity = tag.entity;
		}

		if (this.quiet(slot)) {
			line.quiet = true;
		}

		return line;
	}

	/**
	 * The line in `slot` as a view that the next peek points elsewhere: for a scan that reads a line and
	 * moves on (a filter over 100,000 lines makes no object per line).
	 */
	peek(slot: number): PaneLine {
		this.#view.slot = slot;
		return this.#view;
	}

	message(slot: number): string {
		return this.#messages[slot]!;
	}

	level(slot: number): Level {
		return LEVELS[(this.#kinds[slot]! & LEVEL_BITS) - 1]!;
	}

	notice(slot: number): boolean {
		return (this.#kinds[slot]! & NOTICE) !== 0;
	}

	quiet(slot: number): boolean {
		return (this.#kinds[slot]! & QUIET) !== 0;
	}

	marked(slot: number): boolean {
		return (this.#kinds[slot]! & MARKED) !== 0;
	}

	/** Marks or unmarks a held line (an empty slot stays unmarked). */
	setMarked(slot: number, marked: boolean): void {
		const kind = this.#kinds[slot]!;
		if (kind !== 0) {
			this.#kinds[slot] = marked ? kind | MARKED : kind & ~MARKED;
		}
	}

	label(slot: number): string | undefined {
		return this.#tags[slot]?.label;
	}

	entity(slot: number): string | undefined {
		return this.#tags[slot]?.entity;
	}

	/** The line's time as epoch milliseconds (NaN where its text is not a time): what the merged view orders by, with no string made. */
	time(slot: number): number {
		return this.#times[slot]!;
	}

	timestamp(slot: number): string {
		const time = this.#times[slot]!;
		return (this.#timeTexts.size > 0 ? this.#timeTexts.get(slot) : undefined) ?? new Date(time).toISOString();
	}

	#tag(label: string, entity: string | undefined): LineTag {
		const key = entity === undefined ? label : `${entity}\u0000${label}`;
		let tag = this.#tagTable.get(key);
		if (!tag) {
			if (this.#tagTable.size >= TAGS_KEPT) {
				this.#tagTable = new Map();
			}

			tag = entity === undefined ? {label} : {label, entity};
			this.#tagTable.set(key, tag);
		}

		return tag;
	}
}

const DIGIT_0 = 48;
/** Where `YYYY-MM-DDTHH:mm:ss.sssZ` has digits, and the text between them. */
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
const PUNCTUATION: Array<[number, number]> = [[4, 45], [7, 45], [10, 84], [13, 58], [16, 58], [19, 46], [23, 90]];

function daysIn(year: number, month: number): number {
	return month === 2 ? (year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The epoch milliseconds of a time in toISOString's own form, every field in range (so toISOString gives
 * the same text back); undefined for any other text, which the caller parses and checks the slow way. A
 * dbtail server sends every time in this form: read by hand, it costs no Date and no string.
 */
function canonicalTime(text: string): number | undefined {
	if (text.length !== 24) {
		return undefined;
	}

	for (const [at, code] of PUNCTUATION) {
		if (text.charCodeAt(at) !== code) {
			return undefined;
		}
	}

	for (const at of DIGITS) {
		const digit = text.charCodeAt(at) - DIGIT_0;
		if (digit < 0 || digit > 9) {
			return undefined;
		}
	}

	const number = (from: number, to: number) => {
		let value = 0;
		for (let at = from; at < to; at++) {
			value = value * 10 + text.charCodeAt(at) - DIGIT_0;
		}

		return value;
	};

	const year = number(0, 4);
	const month = number(5, 7);
	const day = number(8, 10);
	const hour = number(11, 13);
	const minute = number(14, 16);
	const second = number(17, 19);
	// Date.UTC reads years below 100 as 19xx: those take the slow way.
	if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) {
		return undefined;
	}

	return Date.UTC(year, month - 1, day, hour, minute, second, number(20, 23));
}

/** A line of HeldLines read in place: see HeldLines.peek. */
class LineView implements PaneLine {
	slot = 0;
	readonly #lines: HeldLines;

	constructor(lines: HeldLines) {
		this.#lines = lines;
	}

	get timestamp(): string {
		return this.#lines.timestamp(this.slot);
	}

	get level(): Level {
		return this.#lines.level(this.slot);
	}

	get message(): string {
		return this.#lines.message(this.slot);
	}

	get label(): string | undefined {
		return this.#lines.label(this.slot);
	}

	get entity(): string | undefined {
		return this.#lines.entity(this.slot);
	}

	get notice(): boolean {
		return this.#lines.notice(this.slot);
	}

	get quiet(): boolean | undefined {
		return this.#lines.quiet(this.slot) || undefined;
	}
}
