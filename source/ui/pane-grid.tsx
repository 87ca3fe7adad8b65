import {Box, Text} from 'ink';
import type {Workspace} from '../model/workspace.js';
import {FixedLines} from './fixed-lines.js';
import {paint} from './paint.js';
import {paneLines} from './pane-lines.js';
import {composeRow} from './screen-row.js';
import {useTheme} from './theme.js';

type Props = {workspace: Workspace; width: number; height: number; now: number};

/**
 * The panes on screen, where the workspace laid them out (it was given the terminal's size); each reads a
 * snapshot of just the rows it shows, and nothing is written back. Panes side by side share terminal rows,
 * composed here with a one-column rule between them (screen-row.ts).
 */
export function PaneGrid({workspace, width, height, now}: Props) {
	const theme = useTheme();
	const panes = workspace.visiblePanes();
	if (panes.length === 0) {
		return (
			<Box height={height} width={width} flexDirection="column">
				<Text>No sources open. Press o to pick one, ? for help, q to quit.</Text>
			</Box>
		);
	}

	const rule = paint('│', {dim: true}, theme);
	const lines: string[] = [];
	for (const cells of workspace.layout.rows) {
		const placed = cells.map((cell) => {
			const pane = panes[cell.index]!;
			const snapshot = pane.store.snapshot(now);
			const focused = pane === workspace.focused;
			const number = workspace.panes.indexOf(pane) + 1;
			return {column: cell.column, width: cell.width, lines: paneLines({pane, number, focused, snapshot, width: cell.width, height: cell.height, theme, now})};
		});
		for (let row = 0; row < cells[0]!.height; row++) {
			lines.push(composeRow(placed.map((piece) => ({column: piece.column, width: piece.width, text: piece.lines[row] ?? ''})), rule));
		}
	}

	return <FixedLines lines={lines} width={width} height={height} />;
}
