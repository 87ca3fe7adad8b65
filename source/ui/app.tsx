import {Box, useApp} from 'ink';
import {useEffect, useMemo, useRef} from 'react';
import type {NotifyMode} from '../model/run-notices.js';
import type {SourceEntry} from '../model/source-catalog.js';
import {ViewerState} from '../model/viewer-state.js';
import type {Workspace} from '../model/workspace.js';
import {wrapColumns} from '../model/text-columns.js';
import {copyText} from './clipboard.js';
import {FixedLines} from './fixed-lines.js';
import {FramePacer} from './frame-pacer.js';
import {HelpOverlay} from './help-overlay.js';
import {MergedPane} from './merged-view.js';
import {noticeBytes} from './notify-terminal.js';
import {useFrameTicker} from './hooks/use-frame-ticker.js';
import {useKeyRouter} from './hooks/use-key-router.js';
import {paint} from './paint.js';
import {PaneGrid} from './pane-grid.js';
import {PromptBar} from './prompt-bar.js';
import {RunList} from './run-list.js';
import {RunOverview} from './run-overview.js';
import {SourcePicker} from './source-picker.js';
import {StatusBar} from './status-bar.js';
import {ThemeContext, type Theme} from './theme.js';

export type TerminalSize = {columns: number; rows: number};

export type AppProps = {
	workspace: Workspace;
	/** The terminal's size, passed in (ink-testing-library has no rows and no TTY). */
	size: TerminalSize;
	loadSources: () => Promise<SourceEntry[]>;
	/** Writes to the terminal outside Ink's frames (OSC 52, the bell and notifications). */
	writeRaw: (data: string) => void;
	/** `--notify`, and whether the terminal is tmux (notifications are wrapped for its passthrough). Default: both, no tmux. */
	notify?: {mode: NotifyMode; tmux: boolean};
	theme?: Theme;
	/** Called once when the user quits. */
	onQuit?: () => void;
	/** Ctrl-L and Ctrl-Z, which need the terminal (runApp gives them; tests may leave them out). */
	redraw?: () => void;
	suspend?: () => void;
	/** Paces frames by what they cost; runApp feeds it Ink's render metrics. */
	pacer?: FramePacer;
	/**
	 * Told as each frame is drawn whether it is made only of FixedLines rows, each spanning the screen from
	 * column 0 (the panes or the merged view and the status bar, or the too-small notice): runApp then lets
	 * Ink build its cell grid one column wide (terminal.ts).
	 */
	rowsOnly?: (only: boolean) => void;
};

const defaultPacer = new FramePacer();
const defaultNotify = {mode: 'both', tmux: false} as const;

/**
 * The viewer: panes (or the help / the source picker in their place) over one bottom line that is the
 * status bar or the filter/search prompt, on every row of the terminal and all columns but the last.
 * It only draws: the mode, the prompt and the picker are the ViewerState's, which takes the keys.
 */
export function App({workspace, size, loadSources, writeRaw, notify = defaultNotify, theme = {color: true}, onQuit, redraw, suspend, pacer = defaultPacer, rowsOnly}: AppProps) {
	const {exit} = useApp();
	const now = useFrameTicker(workspace, pacer);
	// A resize draws the App again with new callbacks: the state model calls whichever are the latest.
	const latest = useRef({loadSources, writeRaw, onQuit, redraw, suspend, exit});
	latest.current = {loadSources, writeRaw, onQuit, redraw, suspend, exit};
	const viewer = useMemo(
		() =>
			new ViewerState({
				workspace,
				loadSources: async () => latest.current.loadSources(),
				shell: {
					quit() {
						latest.current.onQuit?.();
						latest.current.exit();
					},
					copy: async (text) => copyText(text, latest.current.writeRaw),
					redraw: () => latest.current.redraw?.(),
					suspend: () => latest.current.suspend?.(),
				},
			}),
		[workspace],
	);
	// Without sources the viewer opens on the picker, once: not again after Esc closed it.
	useEffect(() => {
		viewer.start();
	}, [viewer]);
	useKeyRouter(viewer);
	// A run's end or first ERROR in a pane the user is not on: the bell and a desktop notification, written
	// as they are heard, between frames (Ink writes each frame whole; these move no cursor).
	const {mode, tmux} = notify;
	useEffect(() => {
		if (mode === 'off') {
			return undefined;
		}

		return workspace.onNotice((notice) => {
			latest.current.writeRaw(noticeBytes(notice, mode, tmux));
		});
	}, [workspace, mode, tmux]);

	// Every column but the last (a terminal that wraps there would scroll), and every row: run-app's stream
	// keeps Ink from clearing the screen on a frame as tall as the terminal.
	const width = Math.max(0, size.columns - 1);
	const height = Math.max(1, size.rows);
	// Below the size the viewer draws in, the screen says so in what there is of it (keys still work: q quits,
	// z and x make panes fit). A frame wider or taller than the terminal would scroll it and break every row.
	const problem = workspace.screenProblem;
	// Frames Ink lays out itself (the help, the picker, the run list and overview, a prompt, the note of no
	// panes) need Ink's grid at the real width.
	const laidOutByInk = viewer.mode === 'help' || Boolean(viewer.picker ?? viewer.prompt ?? viewer.runList ?? viewer.overview) || (!viewer.merged && workspace.visiblePanes().length === 0);
	rowsOnly?.(Boolean(problem) || !laidOutByInk);
	if (problem) {
		return width > 0 ? (
			<FixedLines lines={wrapColumns(problem, width).slice(0, height).map((text) => paint(text, {dim: true}, theme))} width={width} height={height} />
		) : (
			<Box height={height} />
		);
	}

	if (viewer.mode === 'help') {
		return (
			<ThemeContext.Provider value={theme}>
				<HelpOverlay width={width} height={height} />
			</ThemeContext.Provider>
		);
	}

	const {picker, prompt, runList, overview, merged} = viewer;
	let body = merged ? (
		<MergedPane view={merged} panes={workspace.panes.length} width={width} height={height - 1} now={now} />
	) : (
		<PaneGrid workspace={workspace} width={width} height={height - 1} now={now} />
	);
	if (picker) {
		body = <SourcePicker state={picker} width={width} height={height - 1} />;
	} else if (runList) {
		body = <RunList state={runList.state} width={width} height={height - 1} />;
	} else if (overview) {
		body = <RunOverview state={overview.state} width={width} height={height - 1} />;
	}

	const bottom = prompt ? <PromptBar session={prompt} width={width} /> : <StatusBar workspace={workspace} width={width} now={now} />;
	return (
		<ThemeContext.Provider value={theme}>
			<Box flexDirection="column" width={width} height={height}>
				{body}
				{bottom}
			</Box>
		</ThemeContext.Provider>
	);
}
