import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';
import {RAW_CONTROL} from '../helpers/raw-control.js';

/*
 * Usage errors often quote what the user typed (a source, a flag value). Typed or pasted text can hold
 * escape sequences; the real bin must print them as visible symbols, never let the terminal obey them.
 */

describe('user text in error messages', () => {
	it.each([
		[['task/\u001B[31mx', '--server', 'http://127.0.0.1:1']],
		[['follow', 'task/\u001B[31mx', '--server', 'http://127.0.0.1:1']],
		[['follow', 'all', '--server', 'http://127.0.0.1:1', '--level', '\u001B]0;owned\u0007']],
		[['--scrollback', '\u001B[2J', 'all']],
	])('dbtail %j shows control characters as visible symbols', async (args) => {
		const cli = runCli(args, {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		const result = {code: await cli.exited, stderr: cli.stderr()};
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^dbtail: .*\u241B.*\n$/);
		expect(result.stderr.slice(0, -1)).not.toMatch(RAW_CONTROL);
	});
});
