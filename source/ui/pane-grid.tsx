import {Box, Text} from 'ink';
import {layoutPanes} from '../model/layout.js';
import type {Workspace} from '../model/workspace.js';
import {PaneView} from './pane-view.js';

type Props = {workspace: Workspace; width: number; height: number; now: number};

/** The panes on screen, laid out to fit; each reads a snapshot of just the rows it shows. */
export function PaneGrid({workspace, width, height, now}: Props) {
	const panes = workspace.visiblePanes();
	if (panes.length === 0) {
		return (
			<Box height={height} width={width} flexDirection="column">
				<Text>No sources open. Press o to pick one, ? for help, q to quit.</Text>
			</Box>
		);
	}

	const layout = layoutPanes(panes.length, width, height);
	return (
		<Box flexDirection="column" width={width} height={height}>
			{layout.rows.map((cells) => (
				<Box key={cells[0]!.index} flexDirection="row" height={cells[0]!.height} columnGap={1}>
					{cells.map((cell) => {
						const pane = panes[cell.index]!;
						const snapshot = pane.store.snapshot({
							rows: Math.max(0, cell.height - 1),
							width: cell.width,
							timestamps: workspace.timestamps,
							now,
						});
						return (
							<PaneView
								key={pane.id}
								pane={pane}
								number={workspace.panes.indexOf(pane) + 1}
								focused={pane === workspace.focused}
								snapshot={snapshot}
								width={cell.width}
								height={cell.height}
							/>
						);
					})}
				</Box>
			))}
		</Box>
	);
}
