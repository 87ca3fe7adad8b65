import process from 'node:process';
import {render, useStdout} from 'ink';
import type {ReactNode} from 'react';
import type {NotifyMode} from '../model/run-notices.js';
import type {SourceEntry} from '../model/source-catalog.js';
import type {Workspace} from '../model/workspace.js';
import {App, type TerminalSize} from './app.js';
import {FramePacer} from './frame-pacer.js';
import {homeAnchored, TerminalScreen} from './terminal.js';
import type {Theme} from './theme.js';

export type RunAppOptions = {
	workspace: Workspace;
	loadSources: () => Promise<SourceEntry[]>;
	theme?: Theme;
	stdout?: NodeJS.WriteStream;
	stdin?: NodeJS.ReadStream;
	/** `--notify`: the bell and desktop notifications for runs in panes the user is not on (default both). */
	notify?: NotifyMode;
	/** The environment: $TMUX says notifications need tmux's passthrough. */
	env?: NodeJS.ProcessEnv;
};

/** Exit codes after SIGTERM and SIGHUP (or a terminal that went away), as a shell reports a process ended by them. */
const SIGTERM_EXIT = 143;
const HANGUP_EXIT = 129;

/**
 * After a signal or a lost terminal the viewer must not outlive it: streams are closed and the process
 * ends by itself; should anything still hold the event loop, it is ended after this long.
 */
const LEAVE_WITHIN_MS = 2000;

/**
 * Hands out Ink's own "write, then draw the whole frame again" (useStdout().write). Ink's clear() tells
 * its incremental renderer the screen still holds the last frame, so after the terminal was cleared
 * (Ctrl-L) or redrawn by someone else (Ctrl-Z, fg) the next frame wrote only the rows that changed and
 * every other row stayed blank. This write forgets the frame first and then draws all of it.
 */
function FullRepaint({bind, children}: {bind: (write: (data: string) => void) => void; children: ReactNode}) {
	bind(useStdout().write);
	return children;
}

function terminalSize(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

/**
 * Runs the viewer full screen until the user quits, and gives the terminal back on every way out: q and
 * Ctrl-C (keys), SIGTERM, a render error or an uncaught exception anywhere (printed after the screen is
 * restored, exit code 1). Resolves with the exit code; streams are closed by then.
 */
export async function runApp({workspace, loadSources, theme, stdout = process.stdout, stdin = process.stdin, notify = 'both', env = process.env}: RunAppOptions): Promise<number> {
	const screen = new TerminalScreen(stdout);
	let exitCode = 0;
	let failure: unknown;
	let leaving = false;
	const restoreOnExit = () => screen.restore();
	process.once('exit', restoreOnExit);
	screen.enter();
	// The model lays the panes out for the terminal before anything is drawn.
	workspace.resize(terminalSize(stdout));

	const pacer = new FramePacer();
	// Late-bound: they need the Ink instance that renders the element.
	let repaintWrite: (data: string) => void = () => {};
	let suspend = () => {};
	let suspended = false;
	// Whether the frame being drawn is only FixedLines rows (terminal.ts: Ink's grid is then one column).
	let rowsOnly = false;
	// Ctrl-L and fg: the screen is cleared and drawn whole, as less and vim do.
	const redraw = () => {
		repaintWrite('\u001B[2J');
	};

	// OSC 52, the bell and notifications: the stream Ink draws on, between its frames (each is one write),
	// and nothing while stopped by Ctrl-Z (it would land on the shell's screen).
	const writeRaw = (data: string) => {
		if (!suspended) {
			stdout.write(data);
		}
	};

	const element = () => (
		<FullRepaint
			bind={(write) => {
				repaintWrite = write;
			}}
		>
			<App
				workspace={workspace}
				size={terminalSize(stdout)}
				loadSources={loadSources}
				writeRaw={writeRaw}
				notify={{mode: notify, tmux: Boolean(env['TMUX'])}}
				theme={theme}
				pacer={pacer}
				redraw={redraw}
				suspend={() => suspend()}
				rowsOnly={(only) => {
					rowsOnly = only;
				}}
			/>
		</FullRepaint>
	);
	const instance = render(element(), {
		stdout: homeAnchored(
			stdout,
			() => suspended,
			() => rowsOnly,
		),
		stdin,
		maxFps: 30,
		incrementalRendering: true,
		exitOnCtrlC: false,
		patchConsole: false,
		// Ink's screen-reader mode (INK_SCREEN_READER=true, set for other Ink apps) writes text without
		// <Transform>, which draws every row: the panes were blank. A full-screen grid of panes reads
		// badly aloud anyway; `dbtail follow` is the plain-line form of the same streams.
		isScreenReaderEnabled: false,
		onRender: pacer.recordFrame,
	});
	const onResize = () => {
		workspace.resize(terminalSize(stdout));
		instance.rerender(element());
	};
	// Every row again after a resize: Ink, told the grid is one column wide (terminal.ts), no longer sees a
	// narrower terminal and would not clear the screen itself.
	const onTerminalResize = () => {
		onResize();
		redraw();
	};

	// Ctrl-Z: the terminal is given back (primary screen, cooked mode), then the process stops as a
	// shell's job does; `fg` (SIGCONT) takes the screen again and draws it whole.
	suspend = () => {
		suspended = true;
		screen.restore();
		stdin.setRawMode?.(false);
		process.once('SIGCONT', () => {
			suspended = false;
			stdin.setRawMode?.(true);
			screen.enter();
			onResize();
			redraw();
		});
		process.kill(process.pid, 'SIGSTOP');
	};

	/** Ends the viewer from outside its keys: a signal, or a terminal that is gone. */
	const leave = (code: number) => {
		if (leaving) {
			return;
		}

		leaving = true;
		exitCode = code;
		setTimeout(() => {
			process.exit(code);
		}, LEAVE_WITHIN_MS).unref();
		instance.unmount();
	};

	const onTerm = () => leave(SIGTERM_EXIT);
	const onHangup = () => leave(HANGUP_EXIT);
	// EIO or EPIPE on the tty, or stdin at its end: the terminal is gone (a closed ssh session, a killed
	// tmux pane). Without a listener the error would be thrown, and writes to a dead tty go on failing.
	const onOutputError = () => leave(HANGUP_EXIT);
	const onInputEnd = () => leave(HANGUP_EXIT);

	const onCrash = (error: unknown) => {
		failure = error;
		instance.unmount();
	};

	stdout.on('resize', onTerminalResize);
	stdout.on('error', onOutputError);
	stdin.on('end', onInputEnd);
	stdin.on('error', onOutputError);
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHangup);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		failure = error;
	} finally {
		stdout.off('resize', onTerminalResize);
		stdin.off('end', onInputEnd);
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onHangup);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		workspace.dispose();
		screen.restore();
		process.off('exit', restoreOnExit);
	}

	// stdout's and stdin's error listeners stay: the restore above may still fail on a dead tty, later.
	if (failure !== undefined && !leaving) {
		process.stderr.write(`dbtail: the viewer stopped on an unexpected error:\n${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
		return 1;
	}

	return exitCode;
}
