import {Box, Text} from 'ink';
import {connectionColor, connectionWord, runColor} from '../model/connection-text.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {tint, useTheme} from './theme.js';

type Props = {pane: Pane; number: number; focused: boolean; snapshot: PaneSnapshot; width: number};

/** Source, run id, run state, the connection as a word and a dot, and whether the pane follows. */
export function PaneTitle({pane, number, focused, snapshot, width}: Props) {
	const theme = useTheme();
	const {connection, run} = pane;
	let scroll = '';
	if (snapshot.paused) {
		scroll = `PAUSED +${pane.store.newWhilePaused} new`;
	} else if (!snapshot.following) {
		scroll = snapshot.below > 0 ? `not following (${snapshot.below} below, G)` : 'not following (G)';
	}

	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end" inverse={focused} bold={focused}>
				{focused ? '▶' : ' '}
				{number} {sanitizeInline(pane.source)}
				{run ? (
					<>
						{' '}
						<Text dimColor={!focused}>{run.runId}</Text> <Text color={tint(theme, runColor(run))}>{run.status}</Text>
					</>
				) : null}{' '}
				<Text color={tint(theme, connectionColor(connection))}>●</Text> {connectionWord(connection)}
				{scroll ? (
					<Text color={tint(theme, 'yellow')} bold>
						{'  '}
						{scroll}
					</Text>
				) : null}{' '}
			</Text>
		</Box>
	);
}
