import {Box, Text} from 'ink';
import type {PromptSession} from '../model/prompt-session.js';
import {tint, useTheme} from './theme.js';

/**
 * The bottom line while typing a filter, a search, a time (`T`) or a file name (`S`): the line with its cursor,
 * and what is wrong (an invalid regex, a time that is not one, a file that exists) said next to it. It only
 * draws: keys reach the session's LineEditor through the App's key router.
 */
export function PromptBar({session, width}: {session: PromptSession; width: number}) {
	const theme = useTheme();
	const {before, at, after} = session.editor.parts;
	return (
		<Box width={width} height={1} overflow="hidden">
			<Text wrap="truncate-end">
				<Text bold>{session.label} </Text>
				{before}
				<Text inverse>{at || ' '}</Text>
				{after}
				{session.error ? (
					<Text color={tint(theme, 'red')} bold={!theme.color}>{`  ${session.error}`}</Text>
				) : (
					<Text dimColor>{`  ${session.hint}`}</Text>
				)}
			</Text>
		</Box>
	);
}
