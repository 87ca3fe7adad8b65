import type {Level} from '../protocol/levels.js';
import {labelled} from '../protocol/line-text.js';
import type {PaneLine} from './pane-line.js';
import {expandTabs, sliceColumns, stringWidth, wrapColumns} from './text-columns.js';
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
	/** A global-flag regex for highlighting search matches. */
	highlight?: RegExp;
};

export const LEVEL_COLUMN = 6;

/** The message as shown: `[task] message`, tabs expanded. */
export function lineText(line: PaneLine, ownLabel?: string): string {
	if (line.notice) {
		return `── ${line.message}`;
	}

	return expandTabs(labelled(line.label === ownLabel ? undefined : line.label, line.message));
}

function highlights(text: string, regex: RegExp | undefined): Array<[number, number]> {
	if (!regex || text === '') {
		return [];
	}

	const found: Array<[number, number]> = [];
	regex.lastIndex = 0;
	for (let match = regex.exec(text); match && found.length < 64; match = regex.exec(text)) {
		if (match[0] === '') {
			regex.lastIndex++;
			continue;
		}

		found.push([match.index, match.index + match[0].length]);
	}

	return found;
}

function levelHit(level: Level, regex: RegExp | undefined): boolean {
	if (!regex) {
		return false;
	}

	regex.lastIndex = 0;
	return regex.test(level);
}

/** With wrap off, a row whose line goes on past the pane's edge ends in this mark. */
export const CONTINUES = '›';

function fitText(line: PaneLine, textWidth: number, options: RowOptions): string[] {
	const pieces: string[] = [];
	for (const part of lineText(line, options.ownLabel).split('\n')) {
		if (options.wrap) {
			pieces.push(...wrapColumns(part, textWidth));
		} else if (stringWidth(part) > options.hscroll + textWidth) {
			pieces.push(`${sliceColumns(part, options.hscroll, textWidth - 1)}${CONTINUES}`);
		} else {
			pieces.push(sliceColumns(part, options.hscroll, textWidth));
		}
	}

	return pieces;
}

/** The columns the text of a line takes at its widest row, and the columns a row of it has for text. */
export function lineSpan(line: PaneLine, options: RowOptions): {columns: number; textWidth: number} {
	const columns = Math.max(...lineText(line, options.ownLabel).split('\n').map((part) => stringWidth(part)));
	return {columns, textWidth: textWidthFor(line, options)};
}

function textWidthFor(line: PaneLine, options: RowOptions): number {
	const time = formatTimestamp(line.timestamp, options.timestamps, options.now);
	return Math.max(8, options.width - stringWidth(time === '' ? '' : `${time} `) - LEVEL_COLUMN);
}

/**
 * The text of lines laid out in the last two frames. Following a busy stream, most rows on screen were
 * on screen a frame ago too; laying them out again is most of a frame's own cost. Two generations, so it
 * holds a few screens of lines at most and needs no eviction.
 */
export class LayoutCache {
	#current = new Map<PaneLine, {key: string; pieces: string[]}>();
	#previous = new Map<PaneLine, {key: string; pieces: string[]}>();

	nextFrame(): void {
		this.#previous = this.#current;
		this.#current = new Map();
	}

	pieces(line: PaneLine, key: string, compute: () => string[]): string[] {
		let entry = this.#current.get(line) ?? this.#previous.get(line);
		if (entry?.key !== key) {
			entry = {key, pieces: compute()};
		}

		this.#current.set(line, entry);
		return entry.pieces;
	}
}

/** The rows one line takes at these options (one row when wrap is off). */
export function lineRows(line: PaneLine, position: number, options: RowOptions, cursor = false, cache?: LayoutCache): Row[] {
	const time = formatTimestamp(line.timestamp, options.timestamps, options.now);
	const timeColumn = time === '' ? '' : `${time} `;
	const textWidth = textWidthFor(line, options);
	const key = `${textWidth} ${options.wrap ? 'w' : options.hscroll}`;
	const pieces = cache ? cache.pieces(line, key, () => fitText(line, textWidth, options)) : fitText(line, textWidth, options);

	const blank = ' '.repeat(timeColumn.length);
	return pieces.map((text, index) => ({
		key: `${position}:${index}`,
		time: index === 0 ? timeColumn : blank,
		level: index === 0 && !line.notice ? line.level : undefined,
		levelHit: index === 0 && !line.notice && levelHit(line.level, options.highlight),
		text,
		notice: line.notice,
		cursor,
		highlights: highlights(text, options.highlight),
		...(index === 0 && line.entity && line.label && line.label !== options.ownLabel && options.hscroll === 0
			? {entity: {length: Math.min(text.length, line.label.length + 2), key: line.entity}}
			: {}),
	}));
}

/** How many rows a line takes, for scrolling math. */
export function lineHeight(line: PaneLine, options: RowOptions, cache?: LayoutCache): number {
	if (!options.wrap) {
		return line.message.includes('\n') ? lineText(line, options.ownLabel).split('\n').length : 1;
	}

	return lineRows(line, 0, {...options, highlight: undefined}, false, cache).length;
}
