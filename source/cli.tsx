import process from 'node:process';
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
