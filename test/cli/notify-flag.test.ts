import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

/*
 * `--notify` and the profile's `notify` setting on the real bin with no terminal: the values they take, what
 * a wrong one says (exit 2, before the viewer needs a terminal), and the help that lists them.
 */

async function run(args: string[], configDir = tempConfigDir()) {
	const cli = runCli(args, {env: {DBTAIL_CONFIG_DIR: configDir}});
	const code = await cli.exited;
	return {code, stdout: cli.stdout(), stderr: cli.stderr()};
}

describe('--notify', () => {
	it('names the values it takes', async () => {
		const result = await run(['all', '--notify', 'loud']);
		expect(result.stderr).toBe('dbtail: --notify must be both, bell, desktop or off, not "loud"\n');
		expect(result.code).toBe(2);
	});

	it('is in the viewer help, with the profile setting', async () => {
		const result = await run(['--help']);
		expect(result.stdout).toContain('--notify MODE');
		expect(result.stdout).toContain('the profile\'s "notify" setting changes the default');
	});

	it('is a profile setting: set, read back, and a wrong value refused', async () => {
		const dir = tempConfigDir();
		expect((await run(['config', 'set', 'notify', 'loud'], dir)).stderr).toBe('dbtail: notify must be both, bell, desktop or off, not "loud"\n');
		expect((await run(['config', 'set', 'notify', 'bell'], dir)).code).toBe(0);
		const got = await run(['config', 'get', 'notify'], dir);
		expect(got.stdout).toBe('bell\n');
		expect((await run(['config', 'list'], dir)).stdout).toContain('notify = bell');
	});

	it('a hand-edited profile with a word the viewer does not know is named, exit 2', async () => {
		const dir = tempConfigDir();
		fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({profiles: {default: {notify: 'loud'}}}));
		const result = await run(['--server', 'http://127.0.0.1:1', 'all'], dir);
		expect(result.stderr).toBe('dbtail: the profile\'s notify setting must be both, bell, desktop or off, not "loud" (dbtail config set notify both)\n');
		expect(result.code).toBe(2);
	});
});
