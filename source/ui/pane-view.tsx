import {connectionDetail} from '../model/connection-text.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {wrapColumns} from '../model/text-columns.js';
import {FixedLines} from './fixed-lines.js';
import {paint} from './paint.js';
import {paneTitle} from './pane-title.js';
import {rowLine} from './row-line.js';
import {useTheme} from './theme.js';

function emptyText(pane: Pane): string {
	if (pane.store.buffer.size > 0) {
		return '  no line matches the filter and level';
	}

	return pane.connection.kind === 'failed' || pane.connection.kind === 'ended' ? `  no lines: ${connectionDetail(pane.connection, 0)}` : '  waiting for log lines…';
}

type Props = {pane: Pane; number: number; focused: boolean; snapshot: PaneSnapshot; width: number; height: number};

/** A pane: its title row and the rows of its snapshot, exactly `width` x `height`. */
export function PaneView({pane, number, focused, snapshot, width, height}: Props) {
	const theme = useTheme();
	// An empty pane says why in full (a refused token, an unknown source): wrapped, not cut at the width.
	const body =
		snapshot.rows.length === 0
			? wrapColumns(emptyText(pane), width - 2).map((text, index) => paint(index === 0 ? text : `  ${text}`, {dim: true}, theme))
			: snapshot.rows.map((row) => rowLine(row, theme));
	return <FixedLines lines={[paneTitle(pane, number, focused, snapshot, width, theme), ...body]} width={width} height={height} />;
}
