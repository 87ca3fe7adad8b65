import {Box, Text} from 'ink';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {LogRow} from './log-row.js';
import {PaneTitle} from './pane-title.js';

type Props = {pane: Pane; number: number; focused: boolean; snapshot: PaneSnapshot; width: number; height: number};

/** A pane: its title row and the rows of its snapshot, in a box of a fixed size. */
export function PaneView({pane, number, focused, snapshot, width, height}: Props) {
	const empty = snapshot.rows.length === 0;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<PaneTitle pane={pane} number={number} focused={focused} snapshot={snapshot} width={width} />
			{empty ? (
				<Text dimColor wrap="truncate-end">
					{pane.store.buffer.size > 0 ? '  no line matches the filter and level' : '  waiting for log lines…'}
				</Text>
			) : (
				snapshot.rows.map((row) => <LogRow key={row.key} row={row} />)
			)}
		</Box>
	);
}
