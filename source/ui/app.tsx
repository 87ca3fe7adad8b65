import {Box, useApp} from 'ink';
import {useCallback, useMemo, useRef, useState} from 'react';
import type {SourceEntry} from '../model/source-catalog.js';
import type {Workspace} from '../model/workspace.js';
import type {Mode, ViewerControls} from './actions.js';
import {FramePacer} from './frame-pacer.js';
import {HelpOverlay} from './help-overlay.js';
import {useFrameTicker} from './hooks/use-frame-ticker.js';
import {PLAIN_KEY, pressKeys, useViewerKeys} from './hooks/use-viewer-keys.js';
import {PaneGrid} from './pane-grid.js';
import {PromptBar} from './prompt-bar.js';
import {PROMPTS} from './prompts.js';
import {SourcePicker} from './source-picker.js';
import {StatusBar} from './status-bar.js';
import {osc52} from './terminal.js';
import {ThemeContext, type Theme} from './theme.js';

export type TerminalSize = {columns: number; rows: number};

export type AppProps = {
	workspace: Workspace;
	/** The terminal's size, passed in (ink-testing-library has no rows and no TTY). */
	size: TerminalSize;
	loadSources: () => Promise<SourceEntry[]>;
	/** Writes to the terminal outside Ink's frames (OSC 52). */
	writeRaw: (data: string) => void;
	theme?: Theme;
	/** Called once when the user quits. */
	onQuit?: () => void;
	/** Paces frames by what they cost; runApp feeds it Ink's render metrics. */
	pacer?: FramePacer;
};

const defaultPacer = new FramePacer();

/** The modes with a text input, which take the keys typed ahead of them. */
const TYPING_MODES: ReadonlySet<Mode> = new Set(['filter', 'search', 'picker']);

/**
 * The viewer: panes (or the help / the source picker in their place) over one bottom line that is the
 * status bar or the filter/search prompt. The tree is one row shorter than the terminal, since Ink 6
 * clears the whole screen on every frame once a frame is as tall as the terminal.
 */
export function App({workspace, size, loadSources, writeRaw, theme = {color: true}, onQuit, pacer = defaultPacer}: AppProps) {
	const {exit} = useApp();
	const now = useFrameTicker(workspace, pacer);
	const [mode, setModeState] = useState<Mode>(workspace.panes.length === 0 ? 'picker' : 'normal');
	// Keys arrive faster than React draws: the mode they meet is the one set by the key before them.
	const modeRef = useRef(mode);
	const typedAhead = useRef('');
	// Each opening of a prompt mounts a new one, also when one read closes a prompt and opens the next
	// (`/a⏎sb⏎`) before React has drawn the first: a prompt takes its typed-ahead keys when mounted.
	const openings = useRef(0);
	const setMode = useCallback(
		(next: Mode) => {
			modeRef.current = next;
			if (TYPING_MODES.has(next)) {
				openings.current++;
			} else {
				typedAhead.current = '';
			}

			setModeState(next);
			workspace.changed();
		},
		[workspace],
	);
	const takeTypedAhead = useCallback(() => {
		const text = typedAhead.current;
		typedAhead.current = '';
		return text;
	}, []);
	const controls = useMemo<ViewerControls>(() => {
		const controls: ViewerControls = {
			setMode,
			mode: () => modeRef.current,
			typeAhead(text) {
				if (TYPING_MODES.has(modeRef.current)) {
					typedAhead.current += text;
				}
			},
			quit() {
				onQuit?.();
				exit();
			},
			copy: (text) => writeRaw(osc52(text)),
			replay(text) {
				if (text) {
					pressKeys(workspace, text, PLAIN_KEY, controls);
				}
			},
		};
		return controls;
	}, [workspace, setMode, exit, onQuit, writeRaw]);
	useViewerKeys(workspace, mode, controls);

	// The last column stays empty: a terminal that wraps on writing it, or draws a grapheme wider than
	// measured, would move every row below.
	const width = Math.max(20, size.columns - 1);
	const height = Math.max(3, size.rows - 1);
	const store = workspace.focused?.store;
	const closePrompt = () => setMode('normal');
	let body;
	if (mode === 'help') {
		return (
			<ThemeContext.Provider value={theme}>
				<HelpOverlay width={width} height={height} />
			</ThemeContext.Provider>
		);
	}

	if (mode === 'picker') {
		body = (
			<SourcePicker
				key={openings.current}
				width={width}
				height={height - 1}
				loadSources={loadSources}
				onPick={(source) => {
					const problem = workspace.open(source);
					if (!problem) {
						setMode('normal');
					}

					return problem;
				}}
				onClose={closePrompt}
				takeTypedAhead={takeTypedAhead}
				onLateKeys={controls.replay}
			/>
		);
	} else {
		body = <PaneGrid workspace={workspace} width={width} height={height - 1} now={now} />;
	}

	let bottom;
	if ((mode === 'filter' || mode === 'search') && store) {
		const prompt = PROMPTS[mode];
		bottom = (
			<PromptBar
				key={openings.current}
				label={prompt.label}
				initial={prompt.initial(store)}
				takeTypedAhead={takeTypedAhead}
				width={width}
				onChange={(value) => {
					const error = prompt.apply(store, value);
					workspace.changed();
					return error;
				}}
				onSubmit={() => {
					prompt.submit(store);
					closePrompt();
				}}
				onCancel={() => {
					prompt.apply(store, '');
					closePrompt();
				}}
				onLateKeys={controls.replay}
			/>
		);
	} else {
		bottom = <StatusBar workspace={workspace} width={width} now={now} />;
	}

	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={height}>
				{body}
				{bottom}
			</Box>
		</ThemeContext.Provider>
	);
}
