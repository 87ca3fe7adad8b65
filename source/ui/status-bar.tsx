import {Box, Text} from 'ink';
import type {Workspace} from '../model/workspace.js';
import {FOOTER_HINT} from './keymap.js';
import {statusItems} from './status-items.js';
import {tint, useTheme} from './theme.js';

const SEPARATOR = ' · ';

/** The last line: the focused pane's connection and counters, then as many key hints as fit. */
export function StatusBar({workspace, width, now}: {workspace: Workspace; width: number; now: number}) {
	const theme = useTheme();
	const all = statusItems(workspace, now);
	const used = all.reduce((sum, item) => sum + item.text.length + SEPARATOR.length, 0);
	const hint = width - used >= FOOTER_HINT.length ? FOOTER_HINT : '? help';
	// Drop the least important items rather than the `? help` hint when the line is too narrow.
	const items = [...all];
	let length = used + hint.length;
	while (items.length > 1 && length > width) {
		length -= items.pop()!.text.length + SEPARATOR.length;
	}

	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				{items.map((item, index) => (
					// eslint-disable-next-line react/no-array-index-key
					<Text key={index}>
						<Text color={tint(theme, item.color)} bold={item.bold}>
							{item.text}
						</Text>
						<Text dimColor>{SEPARATOR}</Text>
					</Text>
				))}
				<Text dimColor>{hint}</Text>
			</Text>
		</Box>
	);
}
