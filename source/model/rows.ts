import type {Level} from '../protocol/levels.js';
import {count} from './count-text.js';
import {labelled} from '../protocol/line-text.js';
import type {PaneLine} from './pane-line.js';
import type {LinePattern} from './line-pattern.js';
import {columnsUpTo, expandTabs, sliceColumns, stringWidth, wrapRows} from './text-columns.js';
import {formatTimestamp, type TimestampMode} from './timestamps.js';

/** One screen row of a pane: pure data, already cut to the pane's width. */
export type Row = {
	key: string;
	/** Time column text, or blanks of the same width on continuation rows. */
	time: string;
	/** Level column; undefined on continuation rows and notices. */
	level?: Level;
	/** The search matches the level word (`s ERROR`), which is marked like a hit in the text. */
	levelHit?: boolean;
	text: string;
	notice: boolean;
	/** The row belongs to the line under the cursor. */
	cursor: boolean;
	/** [start, end) string offsets in `text` that the search matches. */
	highlights: Array<[number, number]>;
	/** On the first row of a line that names its entity: the `[entity/task]` label's length and color key. */
	entity?: {length: number; key: string};
	/** The row's line is marked (`m`): the gutter shows it. */
	marked?: boolean;
	/** The row's line is shown as context of a filter match (`C`), not as a match: drawn dim. */
	context?: boolean;
	/** A quiet mark (`── quiet 2m14s ──`) or a `--` between context groups: drawn dim. */
	quiet?: boolean;
};

export type RowOptions = {
	width: number;
	wrap: boolean;
	/** Columns scrolled sideways (wrap off). */
	hscroll: number;
	timestamps: TimestampMode;
	now: number;
	/** The pane's own task/artifact id: its records need no `[label]`. */
	ownLabel?: string;
	/** The search, whose matches are marked. */
	highlight?: LinePattern;
	/**
	 * The most rows one line takes (default LINE_ROWS_LIMIT); a longer line ends in a marker row. A pane
	 * passes its height, so a huge line shows its start and never costs more than a screen.
	 */
	maxRows?: number;
};

/*
 * What a line costs is bounded by the rows it may take, never by its length: a 1,048,700-byte message
 * (the server keeps the first MiB) or 1.2 MB of `é` is read only as far as its first rows reach, as less
 * and lnav show such lines. Wrapped, a line takes at most `maxRows` rows, the last of them saying the line
 * goes on; unwrapped, its text is measured and scrolled sideways up to SIDEWAYS_LIMIT columns.
 */
export const LINE_ROWS_LIMIT = 100;
export const SIDEWAYS_LIMIT = 4096;
/** Code units read per column a row needs: wide, combining and astral text take more than one. */
const UNITS_PER_COLUMN = 4;

export const LEVEL_COLUMN = 6;

/** The message as shown: `[task] message`, tabs expanded. */
export function lineText(line: PaneLine, ownLabel?: string): string {
	if (line.notice) {
		return `── ${line.message}`;
	}

	return expandTabs(labelled(line.label === ownLabel ? undefined : line.label, line.message));
}

function highlights(text: string, pattern: LinePattern | undefined): Array<[number, number]> {
	return pattern ? pattern.ranges(text, 64) : [];
}

/** With wrap off, a row whose line goes on past the pane's edge ends in this mark. */
export const CONTINUES = '›';

/** The row that ends a line laid out only in part. */
export function cutMarker(line: PaneLine): string {
	return `… the line goes on (${count(line.message.length)} characters in all)`;
}

/** The rows of a line's text, and whether they stop short of its end (the last row is then a marker). */
type Layout = {pieces: string[]; cut: boolean};

/** The line's text as lineText has it, before tabs are expanded (a part at a time, below). */
function rawText(line: PaneLine, ownLabel: string | undefined): string {
	return line.notice ? `── ${line.message}` : labelled(line.label === ownLabel ? undefined : line.label, line.message);
}

function fitText(line: PaneLine, textWidth: number, options: RowOptions): Layout {
	const maxRows = Math.max(1, options.maxRows ?? LINE_ROWS_LIMIT);
	const text = rawText(line, options.ownLabel);
	const pieces: string[] = [];
	let cut = false;
	for (let at = 0; ; ) {
		if (pieces.length === maxRows) {
			cut = true;
			break;
		}

		const newline = text.indexOf('\n', at);
		const end = newline === -1 ? text.length : newline;
		// Only as much of the part as the rows left can show is read.
		const columns = options.wrap ? (maxRows - pieces.length) * (textWidth + 1) : options.hscroll + textWidth + 1;
		const windowEnd = Math.min(end, at + columns * UNITS_PER_COLUMN + 16);
		const part = expandTabs(text.slice(at, windowEnd));
		const partCut = windowEnd < end;
		if (options.wrap) {
			const wrapped = wrapRows(part, textWidth, maxRows - pieces.length);
			pieces.push(...wrapped.rows);
			cut = !wrapped.complete || partCut;
		} else if (partCut || columnsUpTo(part, options.hscroll + textWidth) > options.hscroll + textWidth) {
			pieces.push(`${sliceColumns(part, options.hscroll, textWidth - 1)}${CONTINUES}`);
		} else {
			pieces.push(sliceColumns(part, options.hscroll, textWidth));
		}

		if (cut || newline === -1) {
			break;
		}

		at = newline + 1;
	}

	if (cut) {
		pieces.splice(maxRows - 1);
		pieces.push(sliceColumns(cutMarker(line), 0, textWidth));
	}

	return {pieces, cut};
}

/**
 * Widest part of long lines, as measured (up to SIDEWAYS_LIMIT): each is measured once, not every frame.
 * Keyed by the message (a window gives a line as a new object each time it is asked); the few long lines
 * measured lately are kept.
 */
const spans = new Map<string, {ownLabel: string | undefined; label: string | undefined; notice: boolean; columns: number}>();
const SPAN_CACHED_FROM = 1024;
const SPANS_KEPT = 256;

function measureColumns(line: PaneLine, options: RowOptions): number {
	const cached = spans.get(line.message);
	if (cached && cached.ownLabel === options.ownLabel && cached.label === line.label && cached.notice === line.notice) {
		return cached.columns;
	}

	const text = rawText(line, options.ownLabel);
	const maxRows = Math.max(1, options.maxRows ?? LINE_ROWS_LIMIT);
	let columns = 0;
	for (let at = 0, parts = 0; parts < maxRows; parts++) {
		const newline = text.indexOf('\n', at);
		const end = newline === -1 ? text.length : newline;
		const part = expandTabs(text.slice(at, Math.min(end, at + (SIDEWAYS_LIMIT + 1) * UNITS_PER_COLUMN)));
		columns = Math.max(columns, Math.min(SIDEWAYS_LIMIT, columnsUpTo(part, SIDEWAYS_LIMIT)));
		if (newline === -1) {
			break;
		}

		at = newline + 1;
	}

	if (text.length >= SPAN_CACHED_FROM) {
		if (spans.size >= SPANS_KEPT) {
			spans.clear();
		}

		spans.set(line.message, {ownLabel: options.ownLabel, label: line.label, notice: line.notice, columns});
	}

	return columns;
}

/** The columns the text of a line takes at its widest row (up to SIDEWAYS_LIMIT), and the columns a row of it has for text. */
export function lineSpan(line: PaneLine, options: RowOptions): {columns: number; textWidth: number} {
	return {columns: measureColumns(line, options), textWidth: textWidthFor(line, options)};
}

function textWidthFor(line: PaneLine, options: RowOptions): number {
	const time = formatTimestamp(line.timestamp, options.timestamps, options.now);
	return Math.max(8, options.width - stringWidth(time === '' ? '' : `${time} `) - LEVEL_COLUMN);
}

/** A layout and what it was made from besides the message (the options' key, the label, a notice's mark). */
type LayoutEntry = {key: string; label: string | undefined; notice: boolean; layout: Layout};

/**
 * The text of lines laid out in the last two frames. Following a busy stream, most rows on screen were
 * on screen a frame ago too; laying them out again is most of a frame's own cost. Two generations, so it
 * holds a few screens of lines at most and needs no eviction. Keyed by the message: a window gives a line
 * as a new object each time it is asked, and a line's layout is a function of its text and the options.
 */
export class LayoutCache {
	#current = new Map<string, LayoutEntry>();
	#previous = new Map<string, LayoutEntry>();

	nextFrame(): void {
		this.#previous = this.#current;
		this.#current = new Map();
	}

	layout(line: PaneLine, key: string, compute: () => Layout): Layout {
		let entry = this.#current.get(line.message) ?? this.#previous.get(line.message);
		if (entry?.key !== key || entry.label !== line.label || entry.notice !== line.notice) {
			entry = {key, label: line.label, notice: line.notice, layout: compute()};
		}

		this.#current.set(line.message, entry);
		return entry.layout;
	}
}

/** The rows one line takes at these options (one row when wrap is off). */
export function lineRows(line: PaneLine, position: number, options: RowOptions, cursor = false, cache?: LayoutCache): Row[] {
	const time = formatTimestamp(line.timestamp, options.timestamps, options.now);
	const timeColumn = time === '' ? '' : `${time} `;
	const textWidth = textWidthFor(line, options);
	const key = `${textWidth} ${options.wrap ? 'w' : options.hscroll} ${options.maxRows ?? LINE_ROWS_LIMIT}`;
	const {pieces, cut} = cache ? cache.layout(line, key, () => fitText(line, textWidth, options)) : fitText(line, textWidth, options);

	const blank = ' '.repeat(timeColumn.length);
	return pieces.map((text, index) => {
		const marker = cut && index === pieces.length - 1;
		return {
		key: `${position}:${index}`,
		time: index === 0 ? timeColumn : blank,
		level: index === 0 && !line.notice ? line.level : undefined,
		levelHit: index === 0 && !line.notice && options.highlight !== undefined && options.highlight.testLevel(line.level),
		text,
		notice: line.notice || marker,
		cursor,
		highlights: marker ? [] : highlights(text, options.highlight),
		...(index === 0 && line.entity && line.label && line.label !== options.ownLabel && options.hscroll === 0
			? {entity: {length: Math.min(text.length, line.label.length + 2), key: line.entity}}
			: {}),
		...(line.quiet ? {quiet: true} : {}),
		};
	});
}

/** How many rows a line takes, for scrolling math: what lineRows gives, without laying out a line unwrapped. */
export function lineHeight(line: PaneLine, options: RowOptions, cache?: LayoutCache): number {
	if (!options.wrap) {
		const maxRows = Math.max(1, options.maxRows ?? LINE_ROWS_LIMIT);
		let rows = 1;
		for (let at = line.message.indexOf('\n'); at !== -1 && rows < maxRows; at = line.message.indexOf('\n', at + 1)) {
			rows++;
		}

		return rows;
	}

	return lineRows(line, 0, {...options, highlight: undefined}, false, cache).length;
}
