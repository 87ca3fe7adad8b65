import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useEffect, useMemo, useRef, useState} from 'react';
import {searchSources, type SourceEntry} from '../model/source-catalog.js';
import {insertion, readTyped, useTypedAhead} from './hooks/use-typed-ahead.js';
import {tint, useTheme} from './theme.js';

type Props = {
	width: number;
	height: number;
	loadSources: () => Promise<SourceEntry[]>;
	/** Opens a pane; returns what is wrong instead when it cannot. */
	onPick: (source: string) => string | undefined;
	onClose: () => void;
	/** Keys typed before the picker was drawn (`o fetch⏎` in one read): the query; an Enter among them opens. */
	takeTypedAhead?: () => string;
	/** Keys typed after the Enter that opened a source, before the picker was gone: keys for the panes. */
	onLateKeys?: (keys: string) => void;
};

type Loaded = {state: 'loading'} | {state: 'ready'; entries: SourceEntry[]} | {state: 'error'; message: string};

/**
 * `o`: fuzzy search over the server's catalog. ↑/↓ choose, Enter opens (what was typed, when nothing
 * matches: a stream name or a URL), Esc closes. A catalog that cannot be fetched is said on an error line;
 * typing a source by name still works then.
 */
export function SourcePicker({width, height, loadSources, onPick, onClose, takeTypedAhead, onLateKeys}: Props) {
	const theme = useTheme();
	const [query, setQuery] = useState('');
	const [selected, setSelected] = useState(0);
	const [loaded, setLoaded] = useState<Loaded>({state: 'loading'});
	const [problem, setProblem] = useState<string | undefined>(undefined);
	// Enter pressed before the catalog arrived: open the top match once it has (or what was typed, if it fails).
	const [submitWhenLoaded, setSubmitWhenLoaded] = useState(false);
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
	// Once a pick has opened a pane the picker is done, though still drawn until the next frame: keys it
	// still gets, and those typed after the Enter in the same read, belong to the panes.
	const closed = useRef(false);
	// Enter was pressed while the catalog loads: keys after it wait for the pick, they do not edit the query.
	const entered = useRef(false);
	const typedQuery = useRef('');
	const afterEnter = useRef('');
	const submit = () => {
		if (closed.current) {
			return;
		}

		if (loaded.state === 'loading') {
			entered.current = true;
			setSubmitWhenLoaded(true);
			return;
		}

		entered.current = false;

		// Enter can come before the picker is drawn with the last keys typed: pick from what was typed.
		const typed = typedQuery.current;
		const top = typed === query ? matches[current] : loaded.state === 'ready' ? searchSources(loaded.entries, typed, 1)[0] : undefined;
		const source = top?.name ?? typed.trim();
		if (source === '') {
			return;
		}

		const pickProblem = onPick(source);
		setProblem(pickProblem);
		const late = afterEnter.current;
		afterEnter.current = '';
		if (!pickProblem) {
			closed.current = true;
			onLateKeys?.(late);
		}
	};

	useEffect(() => {
		if (submitWhenLoaded && loaded.state !== 'loading') {
			setSubmitWhenLoaded(false);
			submit();
		}
		// eslint-disable-next-line react-hooks/exhaustive-deps -- only when the catalog arrives; submit reads the query and matches of that render
	}, [loaded, submitWhenLoaded]);
	const type = (typed: string) => {
		if (closed.current || entered.current) {
			const late = insertion(query, typed)?.text ?? '';
			if (closed.current) {
				onLateKeys?.(late);
			} else {
				afterEnter.current += late;
			}

			return;
		}

		const line = readTyped(query, typedQuery.current, typed);
		typedQuery.current = line.text;
		afterEnter.current = line.rest;
		setQuery(line.text);
		setSelected(0);
		setProblem(undefined);
		if (line.enter) {
			entered.current = true;
			setSubmitWhenLoaded(true);
		}
	};

	const inputKey = useTypedAhead(takeTypedAhead, type);

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				Open a source <Text dimColor>(↑/↓ choose · Enter open · Esc close)</Text>
			</Text>
			<Text wrap="truncate-end">
				<Text bold>{'> '}</Text>
				<TextInput
					key={inputKey}
					value={query}
					placeholder="automation/…, task/…, pipeline/…, artifact/…, all or a URL"
					onChange={type}
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
