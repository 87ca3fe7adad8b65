import chalk from 'chalk';
import {sliceColumns, stringWidth} from '../model/text-columns.js';
import type {Theme} from './theme.js';

/** How a piece of a line looks. Colors are named ANSI colors (16-color safe) and dropped without color. */
export type Look = {
	color?: 'red' | 'yellow' | 'green' | 'cyan' | 'gray' | 'blue' | 'magenta';
	background?: 'yellow';
	bold?: boolean;
	dim?: boolean;
	inverse?: boolean;
	underline?: boolean;
};

export type Segment = {text: string; look?: Look};

/** Styles text for the terminal; without color only bold, dim, inverse and underline remain. */
export function paint(text: string, look: Look | undefined, theme: Theme): string {
	if (!look || text === '') {
		return text;
	}

	let style = chalk;
	if (theme.color && look.color) {
		style = style[look.color];
	}

	if (theme.color && look.background === 'yellow') {
		style = style.bgYellow.black;
	} else if (look.background) {
		style = style.inverse;
	}

	if (look.bold) {
		style = style.bold;
	}

	if (look.dim) {
		style = style.dim;
	}

	if (look.inverse) {
		style = style.inverse;
	}

	if (look.underline) {
		style = style.underline;
	}

	return style(text);
}

/**
 * Lays segments out on one line of exactly `width` columns: cut with `…` when too long, padded when
 * `fill` is given (so an inverse title bar spans the pane).
 */
export function paintLine(segments: Segment[], width: number, theme: Theme, fill?: Look): string {
	let out = '';
	let used = 0;
	for (const segment of segments) {
		const cells = stringWidth(segment.text);
		if (used + cells > width) {
			const room = Math.max(0, width - used - 1);
			out += paint(`${sliceColumns(segment.text, 0, room)}…`, segment.look ?? fill, theme);
			used = width;
			break;
		}

		out += paint(segment.text, segment.look ?? fill, theme);
		used += cells;
	}

	return fill && used < width ? out + paint(' '.repeat(width - used), fill, theme) : out;
}
