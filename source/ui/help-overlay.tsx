import {Box, Text} from 'ink';
import {HELP_ROWS} from '../model/key-table.js';

export const KEYS_WIDTH = 17;

/**
 * The `?` overlay: every key, from the same table the key handler uses, one to a row under the title
 * (23 rows, so 80x24 shows it whole). Two columns only when the terminal is shorter than that, each key
 * with its help in a few words: every key stays on screen.
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
				{Array.from({length: columns}, (_, column) => {
					const rows = HELP_ROWS.slice(column * perColumn, (column + 1) * perColumn);
					// Two columns: keys single-spaced and the help in a few words, so 60 columns still read.
					const keysOf = (keys: string) => (columns === 1 ? keys : keys.replaceAll('  ', ' '));
					const keysWidth = columns === 1 ? KEYS_WIDTH : Math.max(...rows.map((row) => keysOf(row.keys).length)) + 1;
					return (
						// A column but the last keeps one blank column to its right, so two columns never run together.
						<Box key={column} flexDirection="column" width={columnWidth} paddingRight={column < columns - 1 ? 1 : 0}>
							{rows.map((row) => (
								<Text key={row.keys} wrap="truncate-end">
									<Text bold>{keysOf(row.keys).padEnd(keysWidth)}</Text>
									{columns === 1 ? row.help : row.brief}
								</Text>
							))}
						</Box>
					);
				})}
			</Box>
		</Box>
	);
}
