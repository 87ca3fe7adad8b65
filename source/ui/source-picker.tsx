import {Box, Text} from 'ink';
import type {SourcePickerState} from '../model/source-picker-state.js';
import {tint, useTheme} from './theme.js';

/** Rows the list may use in a picker of `height`. */
export function pickerRows(height: number): number {
	return Math.max(1, height - 4);
}

/**
 * `o`: fuzzy search over the server's catalog. ↑/↓ choose, Enter opens (what was typed, when it is a
 * source of its own), Esc closes. A catalog that cannot be fetched is said on an error line; typing a
 * source by name still works then. It only draws: keys go to the state through the App's key router.
 */
export function SourcePicker({state, width, height}: {state: SourcePickerState; width: number; height: number}) {
	const theme = useTheme();
	const rows = pickerRows(height);
	const all = state.matches();
	// The rows on screen are a window of the matches that keeps the chosen one in view.
	const first = Math.max(0, state.selected - rows + 1);
	const matches = all.slice(first, first + rows);
	// What Enter opens is marked: a chosen row, or the typed source itself (then no row is).
	const chosen = state.choice();
	const {before, at, after} = state.editor.parts;
	const query = state.editor.text;
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				Open a source <Text dimColor>(↑/↓ choose · Enter open · Esc close)</Text>
			</Text>
			<Text wrap="truncate-end">
				<Text bold>{'> '}</Text>
				{query === '' ? (
					<>
						<Text inverse> </Text>
						<Text dimColor>automation/…, task/…, pipeline/…, artifact/…, all or a URL</Text>
					</>
				) : (
					<>
						{before}
						<Text inverse>{at || ' '}</Text>
						{after}
					</>
				)}
			</Text>
			{state.problem ? <Text color={tint(theme, 'red')} bold wrap="truncate-end">{state.problem}</Text> : null}
			{state.catalog.state === 'loading' ? <Text dimColor>loading the catalog…</Text> : null}
			{state.catalog.state === 'error' ? (
				<Text color={tint(theme, 'red')} wrap="truncate-end">
					cannot list sources: {state.catalog.message}
				</Text>
			) : null}
			{state.opensAsTyped() ? (
				<Text dimColor wrap="truncate-end">
					Enter opens “{chosen}” as typed{all.length === 0 && state.catalog.state === 'ready' ? ' (nothing in the catalog matches)' : ''}
				</Text>
			) : null}
			{query.trim() !== '' && all.length === 0 && !state.opensAsTyped() && state.catalog.state === 'ready' ? (
				<Text dimColor wrap="truncate-end">
					nothing matches “{query.trim()}”: type a source (automation/…, task/…, a URL) or fewer letters
				</Text>
			) : null}
			{matches.map((entry) => (
				<Text key={entry.name} inverse={entry.name === chosen} wrap="truncate-end">
					{entry.name === chosen ? '▶ ' : '  '}
					{entry.name}
					{entry.status ? <Text dimColor> {entry.status}</Text> : null}
				</Text>
			))}
		</Box>
	);
}
