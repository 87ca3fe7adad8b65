import {Text} from 'ink';
import type {Row} from '../model/rows.js';
import {levelStyle, tint, useTheme} from './theme.js';

/** Splits the text at search matches so they can be drawn highlighted. */
function segments(row: Row): Array<{text: string; hit: boolean}> {
	if (row.highlights.length === 0) {
		return [{text: row.text, hit: false}];
	}

	const parts: Array<{text: string; hit: boolean}> = [];
	let at = 0;
	for (const [start, end] of row.highlights) {
		if (start > at) {
			parts.push({text: row.text.slice(at, start), hit: false});
		}

		parts.push({text: row.text.slice(start, end), hit: true});
		at = end;
	}

	if (at < row.text.length) {
		parts.push({text: row.text.slice(at), hit: false});
	}

	return parts;
}

/** One screen row of a pane. Renders what the snapshot says; computes nothing about the buffer. */
export function LogRow({row}: {row: Row}) {
	const theme = useTheme();
	const style = row.level ? levelStyle(row.level, theme) : {};
	return (
		<Text wrap="truncate-end">
			{row.time === '' ? '' : <Text dimColor>{row.time}</Text>}
			{row.level ? <Text {...style}>{row.level.padEnd(5)} </Text> : '      '}
			<Text inverse={row.cursor} dimColor={row.notice} color={row.notice ? tint(theme, 'cyan') : undefined}>
				{segments(row).map((part, index) =>
					part.hit ? (
						// eslint-disable-next-line react/no-array-index-key
						<Text key={index} inverse={!row.cursor} underline={row.cursor} bold color={tint(theme, 'yellow')}>
							{part.text}
						</Text>
					) : (
						part.text
					),
				)}
			</Text>
		</Text>
	);
}
