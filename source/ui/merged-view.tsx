import {count} from '../model/count-text.js';
import {levelFloorName} from '../model/level-floor.js';
import {paneLook, PANE_COLUMN, type MergedSnapshot, type MergedView} from '../model/merged-view.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {FixedLines} from './fixed-lines.js';
import {paint, paintLine, type Segment} from './paint.js';
import {rowLine} from './row-line.js';
import {useTheme, type Theme} from './theme.js';

type Props = {view: MergedView; panes: number; width: number; height: number; now: number};

/** The title row: what the view is, its filter, level, search and pause, and how to leave it. */
function titleLine(view: MergedView, snapshot: MergedSnapshot, panes: number, width: number, theme: Theme): string {
	const bar = {inverse: true, bold: true} as const;
	const segments: Segment[] = [{text: ` M merged: ${panes} ${panes === 1 ? 'pane' : 'panes'} by time`, look: bar}];
	const add = (text: string) => segments.push({text: ` · ${text}`, look: bar});
	if (view.filterText) {
		add(`/${sanitizeInline(view.filterText)}/`);
	}

	if (view.levelFloor) {
		add(`level ${levelFloorName(view.levelFloor)}+`);
	}

	if (view.searchText) {
		add(`search ${sanitizeInline(view.searchText)}`);
	}

	if (snapshot.paused) {
		// As a paused pane says it.
		add(`PAUSED +${count(snapshot.newWhilePaused)} new`);
	} else if (!snapshot.following && snapshot.below > 0) {
		add(`${count(snapshot.below)} below`);
	}

	add('M or Esc: back ');
	return paintLine(segments, width, theme, bar);
}

/**
 * `M`: the merged view in place of the panes: a title row, then each row as a pane draws it behind its
 * pane's number in that pane's color. The snapshot reads only the rows on screen.
 */
export function MergedPane({view, panes, width, height, now}: Props) {
	const theme = useTheme();
	view.resize({rows: Math.max(0, height - 1), width});
	const snapshot = view.snapshot(now);
	const blank = ' '.repeat(PANE_COLUMN);
	const body =
		snapshot.rows.length === 0
			? [paint(snapshot.visible === 0 && (view.filterText || view.levelFloor) ? '  no line matches the filter and level' : '  waiting for log lines…', {dim: true}, theme)]
			: snapshot.rows.map(({pane, row}) => {
					// The number on a line's first row only, as the time column is.
					const first = row.key.endsWith(':0');
					return (first ? paint(String(pane).padEnd(PANE_COLUMN), paneLook(pane), theme) : blank) + rowLine(row, theme);
				});
	return <FixedLines lines={[titleLine(view, snapshot, panes, width, theme), ...body].slice(0, height)} width={width} height={height} />;
}
