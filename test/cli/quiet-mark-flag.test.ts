import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

/*
 * `--quiet-mark` and the profile's `quiet-mark` setting on the real bin with no terminal: what a wrong
 * value says (exit 2, before the viewer needs a terminal), the profile round trip, and the help.
 */

async function run(args: string[], configDir = tempConfigDir()) {
	const cli = runCli(args, {env: {DBTAIL_CONFIG_DIR: configDir}});
	const code = await cli.exited;
	return {code, stdout: cli.stdout(), stderr: cli.stderr()};
}

describe('--quiet-mark', () => {
	it('takes whole seconds', async () => {
		const result = await run(['all', '--quiet-mark', '2m']);
		expect(result.stderr).toBe('dbtail: --quiet-mark must be a whole number of seconds, not "2m"\n');
		expect(result.code).toBe(2);
	});

	it('is in the viewer help, with its default and the profile setting', async () => {
		const result = await run(['--help']);
		expect(result.stdout).toContain('--quiet-mark N');
		expect(result.stdout).toContain('(default 30, 0 off; the profile\'s');
	});

	it('is a profile setting: set, read back, and a wrong value refused', async () => {
		const dir = tempConfigDir();
		expect((await run(['config', 'set', 'quiet-mark', 'soon'], dir)).stderr).toBe('dbtail: quiet-mark must be a whole number of seconds (0: off), not "soon"\n');
		expect((await run(['config', 'set', 'quiet-mark', '0'], dir)).code).toBe(0);
		expect((await run(['config', 'get', 'quiet-mark'], dir)).stdout).toBe('0\n');
		expect((await run(['config', 'list'], dir)).stdout).toContain('quiet-mark = 0');
	});

	it('a hand-edited profile with a value that is not whole seconds is named, exit 2', async () => {
		const dir = tempConfigDir();
		fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({profiles: {default: {quietMark: '-5'}}}));
		const result = await run(['--server', 'http://127.0.0.1:1', 'all'], dir);
		expect(result.stderr).toBe('dbtail: the profile\'s quiet-mark setting must be a whole number of seconds (0: off), not "-5" (dbtail config set quiet-mark 30)\n');
		expect(result.code).toBe(2);
	});
});
