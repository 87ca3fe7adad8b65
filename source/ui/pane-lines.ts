import {connectionDetail} from '../model/connection-text.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {wrapColumns} from '../model/text-columns.js';
import {paint} from './paint.js';
import {paneTitle} from './pane-title.js';
import {gutterCell, rowLine} from './row-line.js';
import type {Theme} from './theme.js';

function emptyText(pane: Pane): string {
	if (pane.store.window.size > 0) {
		// Reading older lines for a filter that passes none held yet: say so, not that none matches.
		return pane.pager.activity ? `  ${pane.pager.activity}` : '  no line matches the filter and level';
	}

	return pane.connection.kind === 'failed' || pane.connection.kind === 'ended' ? `  no lines: ${connectionDetail(pane.connection, 0)}` : '  waiting for log lines…';
}

type Options = {pane: Pane; number: number; focused: boolean; snapshot: PaneSnapshot; width: number; height: number; theme: Theme; now: number};

/** A pane as its lines: the title row and the rows of its snapshot, at most `height` lines of `width` columns. */
export function paneLines({pane, number, focused, snapshot, width, height, theme, now}: Options): string[] {
	// An empty pane says why in full (a refused token, an unknown source): wrapped, not cut at the width.
	const body =
		snapshot.rows.length === 0
			? wrapColumns(emptyText(pane), width - 2).map((text, index) => paint(index === 0 ? text : `  ${text}`, {dim: true}, theme))
			: snapshot.rows.map((row) => (snapshot.gutter ? gutterCell(row, theme) : '') + rowLine(row, theme));
	return [paneTitle(pane, number, focused, snapshot, width, theme, now), ...body].slice(0, height);
}
