import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useEffect, useMemo, useState} from 'react';
import {searchSources, type SourceEntry} from '../model/source-catalog.js';
import {tint, useTheme} from './theme.js';

type Props = {
	width: number;
	height: number;
	loadSources: () => Promise<SourceEntry[]>;
	/** Opens a pane; returns what is wrong instead when it cannot. */
	onPick: (source: string) => string | undefined;
	onClose: () => void;
};

type Loaded = {state: 'loading'} | {state: 'ready'; entries: SourceEntry[]} | {state: 'error'; message: string};

/**
 * `o`: fuzzy search over the server's catalog. ↑/↓ choose, Enter opens (what was typed, when nothing
 * matches: a stream name or a URL), Esc closes. A catalog that cannot be fetched is said on an error line;
 * typing a source by name still works then.
 */
export function SourcePicker({width, height, loadSources, onPick, onClose}: Props) {
	const theme = useTheme();
	const [query, setQuery] = useState('');
	const [selected, setSelected] = useState(0);
	const [loaded, setLoaded] = useState<Loaded>({state: 'loading'});
	const [problem, setProblem] = useState<string | undefined>(undefined);
	useEffect(() => {
		let live = true;
		loadSources().then(
			(entries) => live && setLoaded({state: 'ready', entries}),
			(error: unknown) => live && setLoaded({state: 'error', message: error instanceof Error ? error.message : String(error)}),
		);
		return () => {
			live = false;
		};
	}, [loadSources]);
	const listRows = Math.max(1, height - 4);
	const matches = useMemo(
		() => (loaded.state === 'ready' ? searchSources(loaded.entries, query, listRows) : []),
		[loaded, query, listRows],
	);
	const current = Math.min(selected, Math.max(0, matches.length - 1));
	useInput((input, key) => {
		if (key.escape) {
			onClose();
		} else if (key.upArrow || (key.ctrl && input === 'p')) {
			setSelected(Math.max(0, current - 1));
		} else if (key.downArrow || (key.ctrl && input === 'n')) {
			setSelected(Math.min(matches.length - 1, current + 1));
		}
	});
	const submit = () => {
		const source = matches[current]?.name ?? query.trim();
		if (source === '') {
			return;
		}

		setProblem(onPick(source));
	};

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				Open a source <Text dimColor>(↑/↓ choose · Enter open · Esc close)</Text>
			</Text>
			<Text wrap="truncate-end">
				<Text bold>{'> '}</Text>
				<TextInput
					value={query}
					placeholder="automation/…, task/…, pipeline/…, artifact/…, all or a URL"
					onChange={(value) => {
						setQuery(value);
						setSelected(0);
						setProblem(undefined);
					}}
					onSubmit={submit}
				/>
			</Text>
			{problem ? <Text color={tint(theme, 'red')} bold wrap="truncate-end">{problem}</Text> : null}
			{loaded.state === 'loading' ? <Text dimColor>loading the catalog…</Text> : null}
			{loaded.state === 'error' ? (
				<Text color={tint(theme, 'red')} wrap="truncate-end">
					cannot list sources: {loaded.message}
				</Text>
			) : null}
			{loaded.state === 'ready' && matches.length === 0 ? (
				<Text dimColor wrap="truncate-end">
					nothing in the catalog matches; Enter opens “{query.trim()}” as typed
				</Text>
			) : null}
			{matches.map((entry, index) => (
				<Text key={entry.name} inverse={index === current} wrap="truncate-end">
					{index === current ? '▶ ' : '  '}
					{entry.name}
					{entry.status ? <Text dimColor> {entry.status}</Text> : null}
				</Text>
			))}
		</Box>
	);
}
