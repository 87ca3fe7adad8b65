import type {Row} from '../model/rows.js';
import type {Level} from '../protocol/levels.js';
import {paint, type Look} from './paint.js';
import {entityLook, levelLook} from '../model/look.js';
import type {Theme} from './theme.js';

/** The level word in its 6 columns: in its color, or marked as a search hit. */
function levelColumn(level: Level, hit: Look | undefined, theme: Theme): string {
	return hit ? paint(level, hit, theme) + ' '.repeat(6 - level.length) : paint(`${level.padEnd(5)} `, levelLook(level), theme);
}

/** The gutter's mark on the rows of a marked line (`m`), while the pane has marks. */
export const MARK_GUTTER = '▌';

/** The gutter column of a pane with marks: the mark, or a blank. */
export function gutterCell(row: Row, theme: Theme): string {
	return row.marked ? paint(MARK_GUTTER, {color: 'magenta', bold: true}, theme) : ' ';
}

/** One pane row as a styled string: dim time, colored level, the text with search hits marked. */
export function rowLine(row: Row, theme: Theme): string {
	const time = row.time === '' ? '' : paint(row.time, {dim: true}, theme);
	const hit: Look = row.cursor ? {bold: true, underline: true, inverse: true} : {background: 'yellow', bold: true};
	const level = row.level ? levelColumn(row.level, row.levelHit ? hit : undefined, theme) : '      ';
	// A quiet mark and grep's `--` are dim rules; context around filter matches is dim beside the matches.
	const base: Look | undefined = row.quiet ? {dim: true} : row.notice ? {color: 'cyan', dim: true} : row.cursor ? {inverse: true} : row.context ? {dim: true} : undefined;
	if (row.highlights.length === 0) {
		if (row.entity && !row.cursor) {
			// Each entity in its own color, as stern does, so lines of one job are followed by eye.
			return time + level + paint(row.text.slice(0, row.entity.length), entityLook(row.entity.key), theme) + paint(row.text.slice(row.entity.length), base, theme);
		}

		return time + level + paint(row.text, base, theme);
	}

	let text = '';
	let at = 0;
	for (const [start, end] of row.highlights) {
		text += paint(row.text.slice(at, start), base, theme) + paint(row.text.slice(start, end), hit, theme);
		at = end;
	}

	return time + level + text + paint(row.text.slice(at), base, theme);
}
