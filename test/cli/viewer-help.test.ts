import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

/* `dbtail --help` lists the commands in one line each: what it says of serve must be what serve does. */

describe('dbtail --help', () => {
	it('says serve runs on SQLite or PostgreSQL, as serve --help does', async () => {
		const env = {DBTAIL_CONFIG_DIR: tempConfigDir()};
		const viewer = runCli(['--help'], {env});
		const serve = runCli(['serve', '--help'], {env});
		expect(await viewer.exited).toBe(0);
		expect(await serve.exited).toBe(0);
		const line = viewer.stdout().split('\n').find((text) => text.includes('$ dbtail serve'));
		expect(line).toMatch(/\(SQLite or PostgreSQL\)$/);
		expect(serve.stdout()).toMatch(/SQLite file[\s\S]*postgres:\/\//);
	});
});
