import chalk from 'chalk';
import {applyLook, type Look} from '../model/look.js';
import {sliceColumns, stringWidth} from '../model/text-columns.js';
import type {Theme} from './theme.js';

export type {Look} from '../model/look.js';

export type Segment = {
	text: string;
	look?: Look;
	/** Shown whole or not at all: a run id cut from `r-11` to `r-1…` would name another run. */
	whole?: boolean;
};

/** Styles text for the terminal; without color only bold, dim, inverse and underline remain. */
export function paint(text: string, look: Look | undefined, theme: Theme): string {
	return applyLook(chalk, text, look, theme.color);
}

/**
 * Lays segments out on one line of at most `width` columns: cut with `…` in the last column when too
 * long, padded when `fill` is given (so an inverse title bar spans the pane). Never wider: Ink would wrap
 * the row and every row below it would move.
 */
export function paintLine(segments: Segment[], width: number, theme: Theme, fill?: Look): string {
	const total = segments.reduce((sum, segment) => sum + stringWidth(segment.text), 0);
	const cut = total > width;
	// When cut, the text gets all columns but the last, which holds the ellipsis.
	let room = cut ? Math.max(0, width - 1) : width;
	let out = '';
	let used = 0;
	for (const segment of segments) {
		const cells = stringWidth(segment.text);
		if (cells > room) {
			const kept = segment.whole ? '' : sliceColumns(segment.text, 0, room);
			const ellipsis = width > 0 ? '…' : '';
			out += paint(`${kept}${ellipsis}`, segment.look ?? fill, theme);
			used += stringWidth(kept) + ellipsis.length;
			break;
		}

		out += paint(segment.text, segment.look ?? fill, theme);
		used += cells;
		room -= cells;
	}

	return fill && used < width ? out + paint(' '.repeat(width - used), fill, theme) : out;
}
