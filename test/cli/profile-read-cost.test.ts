import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

/*
 * `dbtail follow` reads the profile on every start when no token is given: it must do so without loading
 * the config library (conf and ajv were the largest part of its start), which only the commands that write
 * load. The real bin runs with a module hook that lists every module it loads.
 */

const tracer = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/trace-loads.mjs')).href;
const CONF = /\/node_modules\/(conf|ajv)\//;

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function traced(args: string[], env: NodeJS.ProcessEnv, input?: string) {
	const trace = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-trace-')), 'loads.txt');
	const cli = runCli(args, {env: {...env, NODE_OPTIONS: `--import=${tracer}`, DBTAIL_TRACE_LOADS: trace}, input});
	const code = await cli.exited;
	return {code, stderr: cli.stderr(), loaded: fs.readFileSync(trace, 'utf8').split('\n').filter(Boolean)};
}

describe('reading a profile', () => {
	it('follow uses the saved token without loading conf; login, which writes, loads it', async () => {
		server = await startHostileServer({records: 2, complete: 'succeeded'});
		const env = {DBTAIL_CONFIG_DIR: tempConfigDir()};
		const login = await traced(['login', '--server', server.url], env, 'profile-token\n');
		expect(login.code, login.stderr).toBe(0);
		// The trace sees the modules the bin loads: the writer's library among them.
		expect(login.loaded.some((url) => url.endsWith('/dist/cli.js'))).toBe(true);
		expect(login.loaded.some((url) => CONF.test(url))).toBe(true);

		const follow = await traced(['follow', 'automation/nightly-etl'], env);
		expect(follow.code, follow.stderr).toBe(0);
		expect(server.requests[0]!.headers.authorization).toBe('Bearer profile-token');
		expect(follow.loaded.filter((url) => CONF.test(url))).toEqual([]);
	});
});
