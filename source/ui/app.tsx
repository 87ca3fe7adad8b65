import {Box, useApp} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import type {SourceEntry} from '../model/source-catalog.js';
import {SourcePickerState} from '../model/source-picker-state.js';
import type {Workspace} from '../model/workspace.js';
import type {Mode, ViewerControls} from './actions.js';
import {FramePacer} from './frame-pacer.js';
import {HelpOverlay} from './help-overlay.js';
import {useFrameTicker} from './hooks/use-frame-ticker.js';
import {useKeyRouter} from './hooks/use-key-router.js';
import {PaneGrid} from './pane-grid.js';
import {PromptBar} from './prompt-bar.js';
import {PromptSession} from './prompt-session.js';
import {PROMPTS} from './prompts.js';
import {pickerRows, SourcePicker} from './source-picker.js';
import {StatusBar} from './status-bar.js';
import {copyText} from './clipboard.js';
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
	/** Ctrl-L and Ctrl-Z, which need the terminal (runApp gives them; tests may leave them out). */
	redraw?: () => void;
	suspend?: () => void;
	/** Paces frames by what they cost; runApp feeds it Ink's render metrics. */
	pacer?: FramePacer;
};

const defaultPacer = new FramePacer();

/**
 * The viewer: panes (or the help / the source picker in their place) over one bottom line that is the
 * status bar or the filter/search prompt, on every row of the terminal and all columns but the last.
 */
export function App({workspace, size, loadSources, writeRaw, theme = {color: true}, onQuit, redraw, suspend, pacer = defaultPacer}: AppProps) {
	const {exit} = useApp();
	const now = useFrameTicker(workspace, pacer);
	const [mode, setModeState] = useState<Mode>('normal');
	// Keys arrive faster than React draws: the mode and the prompt they meet are the ones set by the key
	// before them, so both live in refs, set at once; React state only makes the frame follow.
	const modeRef = useRef<Mode>('normal');
	const promptRef = useRef<PromptSession | undefined>(undefined);
	const pickerRef = useRef<SourcePickerState | undefined>(undefined);
	const width = Math.max(20, size.columns - 1);
	// Every row: run-app's stream keeps Ink from clearing the screen on a frame as tall as the terminal.
	const height = Math.max(3, size.rows);
	const rowsRef = useRef(pickerRows(height - 1));
	rowsRef.current = pickerRows(height - 1);

	const controls = useMemo<ViewerControls & {pick: (source: string) => string | undefined}>(() => {
		const controls: ViewerControls & {pick: (source: string) => string | undefined} = {
			/** Opens the source the picker chose, and closes it; returns what is wrong instead. */
			pick(source) {
				const problem = workspace.open(source);
				if (!problem) {
					controls.setMode('normal');
				}

				return problem;
			},
			setMode(next) {
				modeRef.current = next;
				const store = workspace.focused?.store;
				promptRef.current = (next === 'filter' || next === 'search') && store ? new PromptSession(PROMPTS[next], store, workspace.histories[next]) : undefined;
				if (next === 'picker') {
					const state = new SourcePickerState(loadSources, () => {
						// Enter came before the catalog: pick now, if the picker is still the one open.
						if (state.waiting && pickerRef.current === state) {
							state.waiting = false;
							const source = state.choice(rowsRef.current);
							state.problem = source === undefined ? undefined : controls.pick(source);
							for (const key of state.afterEnter.splice(0)) {
								key();
							}
						}

						workspace.changed(true);
					});
					pickerRef.current = state;
				} else {
					pickerRef.current = undefined;
				}

				setModeState(next);
				workspace.changed(true);
			},
			mode: () => modeRef.current,
			quit() {
				onQuit?.();
				exit();
			},
			copy: async (text) => copyText(text, writeRaw),
			redraw: () => redraw?.(),
			suspend: () => suspend?.(),
		};
		return controls;
	}, [workspace, exit, onQuit, writeRaw, loadSources, redraw, suspend]);
	// Without sources the viewer opens on the picker, once: not again after Esc closed it, when a resize
	// gives the App new props.
	const opened = useRef(false);
	useEffect(() => {
		if (!opened.current) {
			opened.current = true;
			if (workspace.panes.length === 0) {
				controls.setMode('picker');
			}
		}
	}, [workspace, controls]);
	useKeyRouter({
		workspace,
		controls,
		mode: () => modeRef.current,
		prompt: () => promptRef.current,
		picker: () => pickerRef.current,
		pickerRows: () => rowsRef.current,
		pick: controls.pick,
		grid: () => ({width, height: height - 1}),
	});

	if (mode === 'help') {
		return (
			<ThemeContext.Provider value={theme}>
				<HelpOverlay width={width} height={height} />
			</ThemeContext.Provider>
		);
	}

	const picker = pickerRef.current;
	const prompt = promptRef.current;
	const body =
		mode === 'picker' && picker ? (
			<SourcePicker state={picker} width={width} height={height - 1} />
		) : (
			<PaneGrid workspace={workspace} width={width} height={height - 1} now={now} />
		);
	const bottom =
		(mode === 'filter' || mode === 'search') && prompt ? (
			<PromptBar session={prompt} width={width} />
		) : (
			<StatusBar workspace={workspace} width={width} now={now} />
		);
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={height}>
				{body}
				{bottom}
			</Box>
		</ThemeContext.Provider>
	);
}
