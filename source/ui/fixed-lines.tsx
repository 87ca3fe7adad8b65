import {Box, Text, Transform} from 'ink';
import {rowToken} from './row-tokens.js';

/*
 * Ink 6 measures every <Text> whose content changed and keeps each measured string in a module-level
 * cache that is never emptied (ink#986): a log viewer, whose text never repeats, would grow without
 * bound. So the lines that change with the logs are drawn through a <Transform> over a blank block of
 * the same size: layout only ever measures the blank block (one cache entry per size), and the real,
 * already styled and width-fitted lines replace it at output time. It is also cheaper: one node per pane.
 * Each line reaches Ink as a short token that the stream Ink writes to expands again (row-tokens.ts): Ink
 * never tokenizes the lines themselves into its cell grid. A FixedLines block spans its rows to the right
 * edge of the screen: nothing may be drawn to the right of a token.
 */

const blanks = new Map<string, string>();

function blank(width: number, height: number): string {
	const key = `${width}x${height}`;
	let block = blanks.get(key);
	if (block === undefined) {
		if (blanks.size > 256) {
			blanks.clear();
		}

		block = Array.from({length: height}, () => ' '.repeat(width)).join('\n');
		blanks.set(key, block);
	}

	return block;
}

/** Exactly `height` lines of at most `width` columns, each already styled. */
export function FixedLines({lines, width, height}: {lines: string[]; width: number; height: number}) {
	if (height <= 0 || width <= 0) {
		return null;
	}

	// A box of the block's own size: Ink may be told the terminal is one column wide (terminal.ts), and the
	// block must not be wrapped to that.
	return (
		<Box width={width} height={height} flexShrink={0}>
			<Transform transform={(_line, index) => rowToken(lines[index] ?? '')}>
				<Text>{blank(width, height)}</Text>
			</Transform>
		</Box>
	);
}
