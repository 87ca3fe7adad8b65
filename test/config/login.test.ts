import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {runCli, tempConfigDir} from '../follow/run-cli.js';
import {startHostileServer} from '../helpers/hostile-sse-server.js';
import {useServerFixture} from '../server/server-fixture.js';

/*
 * `dbtail login` checks the token with the server before it saves anything, as `gh auth login` does: exit
 * 0 means the profile works. A real `dbtail serve` with tokens, the real bin.
 */

const TOKENS = [
	{token: 'reader-token', permissions: ['read' as const]},
	{token: 'writer-token', permissions: ['write' as const]},
];

function saved(dir: string): Record<string, unknown> | undefined {
	const file = path.join(dir, 'config.json');
	return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as {profiles: Record<string, unknown>}).profiles : undefined;
}

async function login(args: string[], token: string, dir = tempConfigDir()) {
	const cli = runCli(['login', ...args], {env: {DBTAIL_CONFIG_DIR: dir}, input: `${token}\n`});
	const code = await cli.exited;
	return {code, stderr: cli.stderr(), stdout: cli.stdout(), dir};
}

describe('dbtail login', () => {
	const fixture = useServerFixture();

	it('saves a token the server accepts, and the server typed without http://', async () => {
		const server = await fixture().start({tokens: TOKENS});
		const bare = server.url.replace('http://', '');
		const result = await login(['--server', bare], 'reader-token');
		expect(result.code, result.stderr).toBe(0);
		expect(result.stderr).toBe(`dbtail: token accepted by ${server.url}, saved in profile "default" (${path.join(result.dir, 'config.json')})\n`);
		expect(saved(result.dir)).toEqual({default: {server: server.url, token: 'reader-token'}});
	});

	it('checks with the profile\'s own server when no --server is given', async () => {
		const server = await fixture().start({tokens: TOKENS});
		const dir = tempConfigDir();
		const set = runCli(['config', 'set', 'server', server.url], {env: {DBTAIL_CONFIG_DIR: dir}});
		expect(await set.exited, set.stderr()).toBe(0);
		const refused = await login([], 'not-a-token', dir);
		expect(refused.code, refused.stderr).toBe(2);
		expect(saved(dir)).toEqual({default: {server: server.url}});
	});

	it.each([
		['a token it does not know', 'wrong-token', 'refused the token (HTTP 401'],
		['a token that may not read', 'writer-token', 'knows the token, but it may not read logs (HTTP 403'],
	])('refuses %s: one line, exit 2, nothing saved, the token never printed', async (_what, token, said) => {
		const server = await fixture().start({tokens: TOKENS});
		const result = await login(['--server', server.url], token);
		expect(result.code, result.stderr).toBe(2);
		expect(result.stderr).toMatch(new RegExp(`^dbtail: ${server.url.replaceAll('.', '\\.')} ${said.replaceAll('(', '\\(')}.*\\): nothing saved\\n$`));
		expect(saved(result.dir)).toBeUndefined();
		expect(result.stderr + result.stdout).not.toContain(token);
	});

	it('refuses when the server cannot be reached, and says how to save anyway; --no-check saves unchecked', async () => {
		const gone = await startHostileServer({records: 0});
		await gone.close();
		const refused = await login(['--server', gone.url], 'reader-token');
		expect(refused.code, refused.stderr).toBe(2);
		expect(refused.stderr).toBe(`dbtail: cannot reach ${gone.url} to check the token (ECONNREFUSED): nothing saved (--no-check saves it without asking)\n`);
		expect(saved(refused.dir)).toBeUndefined();

		const unchecked = await login(['--server', gone.url, '--no-check'], 'reader-token');
		expect(unchecked.code, unchecked.stderr).toBe(0);
		expect(unchecked.stderr).toContain('dbtail: token not checked, saved in profile "default"');
		expect(saved(unchecked.dir)).toEqual({default: {server: gone.url, token: 'reader-token'}});
	});

	it('needs a server to check with, and names a remote server without a scheme before asking for the token', async () => {
		const none = await login([], 'reader-token');
		expect(none.code).toBe(2);
		expect(none.stderr).toBe('dbtail: no server to check the token with: pass --server URL (or --no-check to save it unchecked)\n');
		const remote = await login(['--server', 'logs.example.com:8080'], 'reader-token');
		expect(remote.code).toBe(2);
		expect(remote.stderr).toBe('dbtail: server "logs.example.com:8080" needs http:// or https:// in front (only a loopback host, such as localhost:8080, may leave it out)\n');
		expect(saved(remote.dir)).toBeUndefined();
	});
});
