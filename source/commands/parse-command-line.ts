import meow, {type AnyFlags, type Result} from 'meow';
import {version} from '../version.js';
import {UsageError} from '../errors.js';

/*
 * Every command parses its argv here, so all of them treat flags alike:
 * - an unknown flag is a one-line UsageError naming it (exit 2). meow's own check (allowUnknownFlags:
 *   false) prints "Unknown flag" and the flag on two lines and calls process.exit itself, so it is left
 *   off and the parsed keys are compared with the command's flags instead. The parser may have taken
 *   the word after an unknown flag as its value, but that no longer matters: nothing runs.
 * - --help (or -h) and --version answer anywhere on the line, before anything needs a terminal or a
 *   server; meow's autoHelp only answers when --help is the only argument.
 * - the help is the command's own, without the package description above it.
 */

const BUILT_IN = {
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean'},
} as const;

/** The flag as the user typed it (`--bogus`, `--no-bogus`, `-x`), from the key the parser made of it. */
function typedFlag(key: string, argv: readonly string[]): string {
	const end = argv.indexOf('--');
	for (const token of end === -1 ? argv : argv.slice(0, end)) {
		const name = /^--?(?:no-)?([^=.]+)/.exec(token)?.[1];
		if (name !== undefined && (name === key || name.toLowerCase().replaceAll(/-+(.)/g, (_, char: string) => char.toUpperCase()) === key)) {
			return token.split('=')[0]!;
		}
	}

	return key.length === 1 ? `-${key}` : `--${key}`;
}

/** meow throws a plain Error for a flag given twice; the user should read which one, not a stack. */
function repeatedFlag(error: unknown): UsageError | undefined {
	const flag = /^The flag --(\S+) can only be set once\.$/.exec((error as Error).message)?.[1];
	return flag === undefined ? undefined : new UsageError(`${kebab(flag)} can be given only once`);
}

/** A flag given a value outside its `choices`: meow says it in a sentence of its own; ours names the values. */
function badChoices(error: unknown): UsageError | undefined {
	const problems = [...(error as Error).message.matchAll(/^Unknown value for flag `--([^`]+)`: `([^`]*)`\. Value must be one of: \[(.*)\]$/gm)];
	if (problems.length === 0) {
		return undefined;
	}

	return new UsageError(problems.map(([, flag, value, choices]) => {
		const names = choices!.split(', ').map(choice => choice.replaceAll('`', ''));
		const list = names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)!}` : names[0]!;
		return `${kebab(flag!)} must be ${list}, not "${value!}"`;
	}).join('; '));
}

function kebab(flag: string): string {
	return `--${flag.replaceAll(/[A-Z]/g, char => `-${char.toLowerCase()}`)}`;
}

/**
 * Parses `argv` for `command` ("dbtail follow"). Prints the help or the version and exits 0 when asked;
 * throws a UsageError for an unknown or repeated flag, or a value that is not one of a flag's `choices`.
 */
export function parseCommandLine<Flags extends AnyFlags>(command: string, help: string, argv: string[], flags: Flags): Result<Flags> {
	let cli: Result<Flags & typeof BUILT_IN>;
	try {
		cli = meow(help, {
			importMeta: import.meta,
			// Given, so meow does not look for package.json; its description is not shown anyway.
			pkg: {name: 'dbtail', version},
			argv,
			description: false,
			allowUnknownFlags: true,
			autoHelp: false,
			autoVersion: false,
			flags: {...flags, ...BUILT_IN},
		});
	} catch (error) {
		throw repeatedFlag(error) ?? badChoices(error) ?? error;
	}

	if (cli.flags.help) {
		cli.showHelp(0);
	}

	if (cli.flags.version) {
		cli.showVersion();
	}

	const unknown = Object.keys(cli.flags).filter(key => !Object.hasOwn(flags, key) && !Object.hasOwn(BUILT_IN, key));
	if (unknown.length > 0) {
		const names = unknown.map(key => typedFlag(key, argv)).join(', ');
		throw new UsageError(`unknown flag${unknown.length > 1 ? 's' : ''} ${names} (see "${command} --help")`);
	}

	return cli;
}
