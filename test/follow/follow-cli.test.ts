import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileOptions, type HostileServer} from '../helpers/hostile-sse-server.js';
import {runCli, tempConfigDir} from './run-cli.js';
import {RAW_CONTROL} from '../helpers/raw-control.js';

/* `dbtail follow` as a CI job runs it: a real process, a real socket, exit codes and clean stdout. */

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function follow(options: HostileOptions, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
	server = await startHostileServer(options);
	const cli = runCli(['follow', 'automation/nightly-etl', '--server', server.url, ...args], {
		env: {DBTAIL_CONFIG_DIR: tempConfigDir(), ...env},
	});
	return cli;
}

describe('dbtail follow', () => {
	it('prints every line and exits 0 when the run succeeds; notices stay on stderr', async () => {
		const cli = await follow({records: 120, complete: 'succeeded', disconnectAfterBytes: [3000, 12_000]});
		expect(await cli.exited, cli.stderr()).toBe(0);
		const lines = cli.stdout().split('\n');
		expect(lines[0]).toBe('2026-11-22T10:30:00.000Z WARN  [extract] line 1');
		expect(lines[1]).toBe(`${' '.repeat(41)}second line`);
		expect(lines.filter((line) => line.includes('[extract] line'))).toHaveLength(120);
		expect(cli.stdout()).not.toContain('dbtail:');
		expect(cli.stderr()).toMatch(/connection lost \(.*\); retrying in [\d.]+s, attempt 1\n/);
		expect(cli.stderr()).toContain('run r-1 succeeded in 1s');
	});

	it('says when it cannot connect at all, and keeps trying until interrupted', async () => {
		server = await startHostileServer({records: 1});
		const url = server.url;
		await server.close();
		server = undefined;
		const cli = runCli(['follow', 'automation/nightly-etl', '--server', url], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		await cli.waitForStderr((text) => text.includes('attempt 2'));
		cli.child.kill('SIGINT');
		expect(await cli.exited, cli.stderr()).toBe(130);
		expect(cli.stderr()).toMatch(/^dbtail: cannot connect \(connect ECONNREFUSED [\d.:]+\); retrying in [\d.]+s, attempt 1\n/);
	});

	it('with --forever stays after the run completes, says how it ended, and shows no line twice', async () => {
		const cli = await follow({records: 30, complete: 'failed'}, ['--forever']);
		await cli.waitForStderr((text) => text.includes('run r-1 failed in 1s'));
		// The server ends the stream after each completion; resuming must not repeat a line.
		await cli.waitForStderr(() => server!.requests.length >= 2);
		cli.child.kill('SIGINT');
		expect(await cli.exited, cli.stderr()).toBe(130);
		expect(cli.stdout().split('\n').filter((line) => line.includes('] line '))).toHaveLength(30);
	});

	it('exits 1 when the run fails or is cancelled', async () => {
		const failed = await follow({records: 3, complete: 'failed'});
		expect(await failed.exited, failed.stderr()).toBe(1);
		await server!.close();
		const cancelled = await follow({records: 3, complete: 'cancelled'});
		expect(await cancelled.exited, cancelled.stderr()).toBe(1);
	});

	it('exits 2 with the server\'s message on 404, and on a bad source, with no stack trace', async () => {
		const cli = await follow({
			records: 3,
			answer: () => ({status: 404, body: JSON.stringify({error: {code: 'not-found', message: 'no automation "nightly-etl"'}})}),
		});
		expect(await cli.exited, cli.stderr()).toBe(2);
		expect(cli.stderr()).toBe('dbtail: HTTP 404 Not Found: no automation "nightly-etl"\n');
		expect(cli.stdout()).toBe('');
		const bad = runCli(['follow', 'automaton/x', '--server', server!.url]);
		expect(await bad.exited, bad.stderr()).toBe(2);
		expect(bad.stderr()).toMatch(/^dbtail: unknown source "automaton\/x"/);
		expect(bad.stderr()).not.toContain('    at ');
		const level = runCli(['follow', 'all', '--server', server!.url, '--level', 'loud']);
		expect(await level.exited, level.stderr()).toBe(2);
		expect(level.stderr()).toContain('unknown --level "loud"');
	});

	it('exits 130 on Ctrl-C after writing out what it received', async () => {
		const cli = await follow({records: 40});
		await cli.waitForStdout((text) => text.includes('line 40\n'));
		cli.child.kill('SIGINT');
		expect(await cli.exited, cli.stderr()).toBe(130);
		expect(cli.stdout().split('\n').filter((line) => line.includes('] line '))).toHaveLength(40);
	});

	it('--json prints one normalized record per line and no raw control byte', async () => {
		const cli = await follow(
			{
				records: 20,
				complete: 'succeeded',
				frame: (record) =>
					`id: ${record.id}\ndata: ${JSON.stringify({type: 'log', data: {...record, message: `${record.message} \u001B]0;x\u0007\u009B2J`}})}\n\n`,
			},
			['--json', '--level', 'warn'],
		);
		expect(await cli.exited, cli.stderr()).toBe(0);
		const lines = cli.stdout().trimEnd().split('\n');
		expect(lines.map((line) => JSON.parse(line).level)).toEqual(['WARN', 'WARN']);
		expect(cli.stdout()).not.toMatch(RAW_CONTROL);
	});

	it('--json carries each message as sent (JSON escapes it), while labels stay neutralized and plain lines show it harmless', async () => {
		const message = 'progress\r50%\r100% \u001B[31mred\u001B[0m \u009B2J \u202Eevil\r\nnext line';
		const options: HostileOptions = {
			records: 2,
			complete: 'succeeded',
			frame: (record) => `id: ${record.id}\ndata: ${JSON.stringify({type: 'log', data: {...record, message, taskId: 'ex\u001Btract'}})}\n\n`,
		};
		const json = await follow(options, ['--json']);
		expect(await json.exited, json.stderr()).toBe(0);
		expect(json.stdout()).not.toMatch(RAW_CONTROL);
		expect(json.stdout()).not.toContain('\u202E');
		const records = json.stdout().trimEnd().split('\n').map((line) => JSON.parse(line) as {message: string; taskId: string});
		expect(records.map((record) => record.message)).toEqual([message, message]);
		expect(records[0]!.taskId).toBe('ex\u241Btract');
		await server!.close();

		const plain = await follow(options);
		expect(await plain.exited, plain.stderr()).toBe(0);
		expect(plain.stdout()).not.toMatch(RAW_CONTROL);
		expect(plain.stdout()).toContain('\u241B[31mred');
	});

	it('reads the level of a plain-text logfmt line from another server', async () => {
		server = await startHostileServer({records: 2, hello: false, frame: (record) => `data: level=warn msg="disk low" n=${record.id}\n\n`});
		const cli = runCli(['follow', `${server.url}/events`], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		await cli.waitForStdout((text) => text.includes('n=2\n'));
		cli.child.kill('SIGINT');
		expect(await cli.exited, cli.stderr()).toBe(130);
		expect(cli.stdout()).toMatch(/^\S+ WARN {2}level=warn msg="disk low" n=1\n\S+ WARN {2}level=warn msg="disk low" n=2\n$/);
	});

	it('sends the saved token to its own server, prefers the environment token, and never prints the token', async () => {
		const config = tempConfigDir();
		server = await startHostileServer({records: 2, complete: 'succeeded'});
		// A saved token goes only to the server it was saved with, so the profile names the same server.
		const setup = runCli(['login', '--server', server.url], {env: {DBTAIL_CONFIG_DIR: config}, input: 'profile-token\n'});
		expect(await setup.exited, setup.stderr()).toBe(0);
		const cli = runCli(['follow', 'automation/nightly-etl'], {env: {DBTAIL_CONFIG_DIR: config, DBTAIL_SERVER: server.url}});
		expect(await cli.exited, cli.stderr()).toBe(0);
		expect(server.requests[0]!.headers.authorization).toBe('Bearer profile-token');
		const env = runCli(['follow', 'automation/nightly-etl'], {
			env: {DBTAIL_CONFIG_DIR: config, DBTAIL_SERVER: server.url, DBTAIL_TOKEN: 'env-token'},
		});
		expect(await env.exited, env.stderr()).toBe(0);
		expect(server.requests[1]!.headers.authorization).toBe('Bearer env-token');
		expect(`${setup.stdout()}${setup.stderr()}${cli.stdout()}${cli.stderr()}`).not.toContain('profile-token');
	});
});
