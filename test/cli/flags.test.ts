import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

/*
 * Every command's command line, as users type it, on the real bin with no terminal (stdin and stdout are
 * pipes): unknown flags, help, numbers, and what user text may be echoed back.
 */

async function run(args: string[]) {
	const cli = runCli(args, {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
	const code = await cli.exited;
	return {code, stdout: cli.stdout(), stderr: cli.stderr()};
}

const COMMANDS = [
	{prefix: [], name: 'dbtail'},
	{prefix: ['follow', 'all'], name: 'dbtail follow'},
	{prefix: ['serve'], name: 'dbtail serve'},
	{prefix: ['demo'], name: 'dbtail demo'},
	{prefix: ['config', 'list'], name: 'dbtail config'},
	{prefix: ['login'], name: 'dbtail login'},
	{prefix: ['runs', 'automation/etl'], name: 'dbtail runs'},
];

const PACKAGE_DESCRIPTION = 'Watch automation and pipeline logs live from a terminal';

describe('unknown flags', () => {
	it.each(COMMANDS)('$name names the flag in one line and exits 2', async ({prefix, name}) => {
		const result = await run([...prefix, '--bogus', 'x']);
		expect(result.stderr).toBe(`dbtail: unknown flag --bogus (see "${name} --help")\n`);
		expect(result.code).toBe(2);
		expect(result.stdout).toBe('');
	});

	it('names each one as typed, negated, short or with a value', async () => {
		const result = await run(['all', '--no-bogus', '-q', '--other-one=secret']);
		expect(result.stderr).toBe('dbtail: unknown flags --no-bogus, -q, --other-one (see "dbtail --help")\n');
		expect(result.code).toBe(2);
	});

	it.each([[['all']], [['follow', 'all']]])('%j reads --tail and --since one way: a bad value, or both, is one line', async (prefix) => {
		const bad = await run([...prefix, '--since', 'yesterday']);
		expect(bad.stderr).toBe('dbtail: --since wants a duration like 5m or 2h, or an ISO time, got "yesterday"\n');
		expect(bad.code).toBe(2);
		const both = await run([...prefix, '--tail', '5', '--since', '5m']);
		expect(both.stderr).toBe('dbtail: --tail and --since both say where to start: give one of them\n');
		expect(both.code).toBe(2);
	});

	it.each([[['all']], [['follow', 'all']]])('%j says a bad --level the same way', async (prefix) => {
		const result = await run([...prefix, '--level', 'loud']);
		expect(result.stderr).toBe('dbtail: unknown --level "loud": use one of TRACE, DEBUG, INFO, WARN, ERROR, FATAL\n');
		expect(result.code).toBe(2);
	});

	it.each([
		[['all', '--timestamps', 'utc'], '--timestamps must be relative, absolute, iso or none, not "utc"'],
		[['follow', 'all', '--timestamps', 'utc'], '--timestamps must be iso, absolute, relative, elapsed or none, not "utc"'],
		[['all', '--dialect', 'sse'], '--dialect must be dbtail, stratal, datashop or generic, not "sse"'],
		[['follow', 'all', '--dialect', 'sse'], '--dialect must be dbtail, stratal, datashop or generic, not "sse"'],
		[['serve', '--durability', 'yolo'], '--durability must be normal or full, not "yolo"'],
	])('%j names the values a fixed-choice flag takes', async (args, message) => {
		const result = await run(args);
		expect(result.stderr).toBe(`dbtail: ${message}\n`);
		expect(result.code).toBe(2);
	});

	it('refuses --tail with --since: both say where to start', async () => {
		const result = await run(['follow', 'all', '--tail', '5', '--since', '5m']);
		expect(result.stderr).toBe('dbtail: --tail and --since both say where to start: give one of them\n');
		expect(result.code).toBe(2);
	});

	it('says which flag was given twice, without a stack', async () => {
		const result = await run(['serve', '--port', '1', '--port', '2']);
		expect(result.stderr).toBe('dbtail: --port can be given only once\n');
		expect(result.code).toBe(2);
	});
});

describe('help and version', () => {
	it.each([['follow'], ['config'], ['login'], ['serve'], ['demo']])('dbtail %s --help is the command\'s own help', async (command) => {
		const result = await run([command, '--help']);
		expect(result.code).toBe(0);
		expect(result.stdout).toMatch(new RegExp(`^\\n  Usage\\n    \\$ dbtail ${command} `));
		expect(result.stdout).not.toContain(PACKAGE_DESCRIPTION);
	});

	it('answer anywhere on the line, with no terminal and before any other check', async () => {
		const viewer = await run(['--server', 'http://127.0.0.1:1', 'all', '--help']);
		expect(viewer.code).toBe(0);
		expect(viewer.stdout).toContain('Viewer options');
		expect(viewer.stdout).toContain('$ dbtail follow <source>');
		expect(viewer.stderr).toBe('');
		const demo = await run(['demo', '--rate', '5', '-h']);
		expect(demo.code).toBe(0);
		expect(demo.stdout).toContain('$ dbtail demo [options]');
		const version = await run(['follow', 'all', '--version']);
		expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/);
		expect(version.code).toBe(0);
	});

	it('dbtail --help and dbtail help are the viewer\'s help; dbtail help follow is follow\'s', async () => {
		const [flag, word, follow] = await Promise.all([run(['--help']), run(['help']), run(['help', 'follow'])]);
		expect(flag.code).toBe(0);
		expect(flag.stdout).toContain('--scrollback N');
		expect(word.stdout).toBe(flag.stdout);
		expect(follow.stdout).toContain('$ dbtail follow <source> [options]');
	});
});

describe('numeric flags', () => {
	it.each([
		[['--scrollback', 'abc', 'all'], '--scrollback must be a whole number above 0, not "abc"'],
		[['demo', '--scrollback', '2.5'], '--scrollback must be a whole number above 0, not "2.5"'],
		[['demo', '--port', '80a'], '--port must be a whole number from 0 to 65535, not "80a"'],
		[['demo', '--rate', 'fast'], '--rate must be a number above 0, not "fast"'],
		[['serve', '--port', 'abc'], '--port must be a whole number from 0 to 65535, not "abc"'],
		[['serve', '--demo', '--rate', '1e9'], '--rate must be a number of lines per second above 0, at most 100000, not "1e9"'],
		[['serve', '--heartbeat', 'soon'], '--heartbeat must be a number of seconds from 1 to 60, not "soon"'],
		[['serve', '--retain', '-3'], '--retain must be a whole number above 0, not "-3"'],
		[['serve', '--max-connections', 'many'], '--max-connections must be a whole number from 1 to 1000000, not "many"'],
		[['serve', '--max-connections-per-token', '0x10'], '--max-connections-per-token must be a whole number from 1 to 1000000, not "0x10"'],
		[['follow', 'all', '--server', 'http://127.0.0.1:1', '--tail', 'ten'], '--tail must be a whole number of lines, not "ten"'],
		[['follow', 'all', '--server', 'http://127.0.0.1:1', '--connect-timeout', 'soon'], '--connect-timeout must be a number of seconds, not "soon"'],
	])('dbtail %j quotes what was typed', async (args, message) => {
		const result = await run(args);
		expect(result.stderr).toBe(`dbtail: ${message}\n`);
		expect(result.code).toBe(2);
	});
});
