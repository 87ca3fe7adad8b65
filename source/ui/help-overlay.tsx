import {Box, Text} from 'ink';
import {HELP_ROWS} from './keymap.js';

export const KEYS_WIDTH = 17;

/**
 * The `?` overlay: every key, from the same table the key handler uses, one to a row under the title
 * (23 rows, so 80x24 shows it whole). Two columns only when the terminal is shorter than that: every
 * key stays on screen, its text cut if need be.
 */
export function HelpOverlay({width, height}: {width: number; height: number}) {
	const available = Math.max(1, height - 1);
	const columns = HELP_ROWS.length > available ? 2 : 1;
	const perColumn = Math.ceil(HELP_ROWS.length / columns);
	const columnWidth = Math.floor(width / columns);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				dbtail keys <Text dimColor>(any key closes this help)</Text>
			</Text>
			<Box flexDirection="row">
				{Array.from({length: columns}, (_, column) => (
					<Box key={column} flexDirection="column" width={columnWidth}>
						{HELP_ROWS.slice(column * perColumn, (column + 1) * perColumn).map((row) => (
							<Text key={row.keys} wrap="truncate-end">
								<Text bold>{row.keys.padEnd(KEYS_WIDTH)}</Text>
								{row.help}
							</Text>
						))}
					</Box>
				))}
			</Box>
		</Box>
	);
}
