import process from 'node:process';
import {render} from 'ink';
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
};

/** Exit code after SIGTERM, as a shell reports a process ended by it. */
const SIGTERM_EXIT = 143;

function terminalSize(stdout: NodeJS.WriteStream): TerminalSize {
	return {columns: stdout.columns || 80, rows: stdout.rows || 24};
}

/**
 * Runs the viewer full screen until the user quits, and gives the terminal back on every way out: q and
 * Ctrl-C (keys), SIGTERM, a render error or an uncaught exception anywhere (printed after the screen is
 * restored, exit code 1). Resolves with the exit code; streams are closed by then.
 */
export async function runApp({workspace, loadSources, theme, stdout = process.stdout, stdin = process.stdin}: RunAppOptions): Promise<number> {
	const screen = new TerminalScreen(stdout);
	let exitCode = 0;
	let failure: unknown;
	const restoreOnExit = () => screen.restore();
	process.once('exit', restoreOnExit);
	screen.enter();

	const pacer = new FramePacer();
	// Both late-bound: they need the Ink instance that renders the element.
	let redraw = () => {};
	let suspend = () => {};
	const element = () => (
		<App
			workspace={workspace}
			size={terminalSize(stdout)}
			loadSources={loadSources}
			writeRaw={(data) => stdout.write(data)}
			theme={theme}
			pacer={pacer}
			redraw={() => redraw()}
			suspend={() => suspend()}
		/>
	);
	const instance = render(element(), {
		stdout: homeAnchored(stdout),
		stdin,
		maxFps: 30,
		incrementalRendering: true,
		exitOnCtrlC: false,
		patchConsole: false,
		onRender: pacer.recordFrame,
	});
	const onResize = () => instance.rerender(element());
	// Ctrl-L: the screen is cleared and Ink forgets what it drew, so the next frame draws every row.
	redraw = () => {
		stdout.write('\u001B[H\u001B[2J');
		instance.clear();
		instance.rerender(element());
	};

	// Ctrl-Z: the terminal is given back (primary screen, cooked mode), then the process stops as a
	// shell's job does; `fg` (SIGCONT) takes the screen again and draws it whole.
	suspend = () => {
		screen.restore();
		stdin.setRawMode?.(false);
		process.once('SIGCONT', () => {
			stdin.setRawMode?.(true);
			screen.enter();
			redraw();
		});
		process.kill(process.pid, 'SIGSTOP');
	};

	const onTerm = () => {
		exitCode = SIGTERM_EXIT;
		instance.unmount();
	};

	const onCrash = (error: unknown) => {
		failure = error;
		instance.unmount();
	};

	stdout.on('resize', onResize);
	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onTerm);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	try {
		await instance.waitUntilExit();
	} catch (error) {
		failure = error;
	} finally {
		stdout.off('resize', onResize);
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onTerm);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		workspace.dispose();
		screen.restore();
		process.off('exit', restoreOnExit);
	}

	if (failure !== undefined) {
		process.stderr.write(`dbtail: the viewer stopped on an unexpected error:\n${failure instanceof Error ? (failure.stack ?? failure.message) : String(failure)}\n`);
		return 1;
	}

	return exitCode;
}
