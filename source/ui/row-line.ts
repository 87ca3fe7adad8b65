import type {Row} from '../model/rows.js';
import {paint, type Look} from './paint.js';
import {levelLook, type Theme} from './theme.js';

/** One pane row as a styled string: dim time, colored level, the text with search hits marked. */
export function rowLine(row: Row, theme: Theme): string {
	const time = row.time === '' ? '' : paint(row.time, {dim: true}, theme);
	const level = row.level ? paint(`${row.level.padEnd(5)} `, levelLook(row.level), theme) : '      ';
	const base: Look | undefined = row.notice ? {color: 'cyan', dim: true} : row.cursor ? {inverse: true} : undefined;
	if (row.highlights.length === 0) {
		return time + level + paint(row.text, base, theme);
	}

	const hit: Look = row.cursor ? {bold: true, underline: true, inverse: true} : {background: 'yellow', bold: true};
	let text = '';
	let at = 0;
	for (const [start, end] of row.highlights) {
		text += paint(row.text.slice(at, start), base, theme) + paint(row.text.slice(start, end), hit, theme);
		at = end;
	}

	return time + level + text + paint(row.text.slice(at), base, theme);
}
