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

/*
 * The bars (pane titles, status bar) are measured several times a frame as they give way to a narrow
 * pane, and they hold the same few texts frame after frame: the head `▶1`, the dot, the sparkline's
 * blocks. Those are not ASCII, and measuring them segments graphemes: half of what a title cost at 20
 * lines/s. So a bar text's width is looked up; a long text (a source name past the limit) is measured.
 */
const barWidths = new Map<string, number>();
const BAR_WIDTHS_KEPT = 1024;
const BAR_TEXT_CACHED_UP_TO = 256;

/** Columns a bar's text takes (stringWidth), looked up for the texts met before. */
export function barWidth(text: string): number {
	let width = barWidths.get(text);
	if (width === undefined) {
		width = stringWidth(text);
		if (text.length <= BAR_TEXT_CACHED_UP_TO) {
			if (barWidths.size >= BAR_WIDTHS_KEPT) {
				barWidths.clear();
			}

			barWidths.set(text, width);
		}
	}

	return width;
}

/** Styles text for the terminal; without color only bold, dim, inverse and underline remain. */
export function paint(text: string, look: Look | undefined, theme: Theme): string {
	return applyLook(chalk, text, look, theme.color);
}

/**
 * Lays segments out on one line of at most `width` columns: cut with `…` in the last column when too
 * long, padded when `fill` is given (so an inverse title bar spans the pane). Never wider: Ink would wrap
 * the row and every row below it would move.
 */
/** Columns the segments take side by side. */
export const segmentsWidth = (segments: readonly Segment[]): number => segments.reduce((sum, segment) => sum + barWidth(segment.text), 0);

export function paintLine(segments: Segment[], width: number, theme: Theme, fill?: Look): string {
	const total = segmentsWidth(segments);
	const cut = total > width;
	// When cut, the text gets all columns but the last, which holds the ellipsis.
	let room = cut ? Math.max(0, width - 1) : width;
	let out = '';
	let used = 0;
	for (const segment of segments) {
		const cells = barWidth(segment.text);
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
