import {constants, PerformanceObserver} from 'node:perf_hooks';
import process from 'node:process';
import v8 from 'node:v8';
import {UsageError} from './errors.js';
import {sanitizeInline, sanitizeText} from './protocol/sanitize.js';
import {version} from './version.js';

/*
 * Routes `dbtail <command> ...` to one module per command. Each command parses its own flags with meow,
 * so `dbtail follow --help` shows follow's flags, and commands load only what they use (the viewer's
 * React tree is never loaded by `dbtail serve`).
 */

type Command = (argv: string[]) => Promise<number | void>;

/*
 * Ink decides once, when it is first imported, that it runs "in CI" whenever CI or
 * CONTINUOUS_INTEGRATION is set, and then draws nothing until it exits. A viewer whose output is a
 * terminal is being watched by a person whatever the environment says (a CI job's tmux, a build box
 * that exports CI=true), so the flag is cleared for it before Ink loads.
 */
function drawOnTerminal(): void {
	if (process.stdout.isTTY) {
		delete process.env['CI'];
		delete process.env['CONTINUOUS_INTEGRATION'];
	}
}

/*
 * The viewer's heap turns over all the time: each new line pushes an old one, long since in the old
 * generation, out of a full window, and every frame's drawing (Ink's cell grid) leaves garbage there too.
 * V8 lets the old generation grow to as much as four times what its last full collection left: in
 * bench:viewer (three panes of 100,000 lines, 20,000 lines/s) 60 MB live grew to 174-217 MB of heap and
 * 265-308 MB of RSS. Growing by half keeps it at 119-127 MB of heap and 203-207 MB of RSS, for 12 to 20
 * full collections in the 30 s instead of about five (10-30 ms each on the main thread, the rest on V8's
 * threads; lag and keys no worse in the same runs). V8 reads the flag at each collection, so setting
 * it before the viewer loads is enough; `serve` and `follow` keep V8's default.
 */
function keepHeapNearLive(): void {
	v8.setFlagsFromString('--heap-growing-percent=50');
	keepYoungGenerationSmall();
}

/*
 * V8's young generation starts at two semi-spaces of 1 MB and doubles them, up to 16 MB each, whenever much
 * of it survives a scavenge, which loading the viewer's modules and the history it opens on does at once:
 * a viewer of two panes at 20 lines/s held 32 MB of young generation, a quarter of its RSS, for its whole
 * life. The size is fixed when V8 starts (--max-semi-space-size is a command-line flag, and the viewer is
 * started by `dbtail`), but V8 reads the growth factor each time it would grow: a factor of 1 keeps the
 * semi-spaces at 1 MB. A flood (20,000 lines/s) wants the room, though: at 1 MB its lag p50 doubled and
 * p99 tripled in bench:viewer. So growth comes back for good once scavenges have come at least
 * BUSY_SCAVENGES a second for BUSY_SECONDS seconds running (a flood's first seconds; opening on 100,000
 * lines of history made one such second, and 20 lines/s makes one or two scavenges a second).
 */
const BUSY_SCAVENGES = 10;
const BUSY_SECONDS = 2;

function keepYoungGenerationSmall(): void {
	v8.setFlagsFromString('--semi-space-growth-factor=1');
	let second = 0;
	let inSecond = 0;
	let busySeconds = 0;
	const observer = new PerformanceObserver((list) => {
		for (const entry of list.getEntries()) {
			if ((entry as {detail?: {kind?: number}}).detail?.kind !== constants.NODE_PERFORMANCE_GC_MINOR) {
				continue;
			}

			const at = Math.floor(entry.startTime / 1000);
			if (at !== second) {
				// A second gone by with enough scavenges extends the run only if it was the one just before.
				busySeconds = inSecond >= BUSY_SCAVENGES && at === second + 1 ? busySeconds + 1 : 0;
				second = at;
				inSecond = 0;
			}

			inSecond++;
			if (busySeconds >= BUSY_SECONDS) {
				v8.setFlagsFromString('--semi-space-growth-factor=2');
				observer.disconnect();
				return;
			}
		}
	});
	observer.observe({entryTypes: ['gc']});
}

const commands: Record<string, () => Promise<{default: Command}>> = {
	serve: async () => import('./commands/serve.js'),
	follow: async () => import('./commands/follow.js'),
	demo: async () => import('./commands/demo.js'),
	config: async () => import('./commands/config.js'),
	login: async () => import('./commands/login.js'),
	runs: async () => import('./commands/runs.js'),
};

/** `dbtail help [command]`: the command's own help, else the viewer's, which lists every command. */
function helpArgv(rest: string[]): string[] {
	const [command] = rest;
	return command !== undefined && Object.hasOwn(commands, command) ? [command, '--help'] : ['--help'];
}

async function main(argv: string[]): Promise<number> {
	const [first, ...rest] = argv;
	if (first === '--version' || first === '-v') {
		process.stdout.write(`${version}\n`);
		return 0;
	}

	if (first === 'help') {
		return main(helpArgv(rest));
	}

	// Own keys only: `dbtail constructor` is a source for the viewer, not Object's constructor.
	const load = first !== undefined && Object.hasOwn(commands, first) ? commands[first] : undefined;
	if (first === 'demo' || !load) {
		drawOnTerminal();
		keepHeapNearLive();
	}

	if (load) {
		const {default: run} = await load();
		return (await run(rest)) ?? 0;
	}

	const {default: viewer} = await import('./commands/viewer.js');
	return (await viewer(argv)) ?? 0;
}

try {
	process.exitCode = await main(process.argv.slice(2));
} catch (error) {
	// Both can quote what the user typed (a source, a flag value): no control byte of it reaches the terminal.
	if (error instanceof UsageError) {
		process.stderr.write(`dbtail: ${sanitizeInline(error.message)}\n`);
		process.exitCode = error.exitCode;
	} else {
		// A bug, not a user mistake: the stack is worth having. Exit 2 (fatal), never 1, which means
		// "the run failed" to a script following a run.
		process.stderr.write(`dbtail: unexpected error: ${sanitizeText(error instanceof Error ? (error.stack ?? error.message) : String(error))}\n`);
		process.exitCode = 2;
	}
}
