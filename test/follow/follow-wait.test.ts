import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {startMuteListener} from '../helpers/silent-listeners.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow` in a CI job: it waits for a job that has not started when asked to (--wait), and it does
 * not hang on an address where nothing listens (--connect-timeout). Real processes, real servers.
 */

const env = () => ({DBTAIL_CONFIG_DIR: tempConfigDir()});

describe('dbtail follow --wait', () => {
	const fixture = useServerFixture();

	it('waits for a source that does not exist yet, says so once, and follows its run from the first line', async () => {
		const server = await fixture().start();
		const cli = runCli(['follow', 'automation/tonight', '--server', server.url, '--wait', '--tail', '1'], {env: env()});
		await cli.waitForStderr((text) => text.includes('waiting for'));
		const runId = await createRun(server.url, undefined, {automationId: 'tonight'});
		await ingest(server.url, undefined, runId, ['extract', 'load']);
		await finishRun(server.url, undefined, runId, 'succeeded');
		expect(await cli.exited, cli.stderr()).toBe(0);
		expect(cli.stdout()).toMatch(/^\S+ INFO {2}extract\n\S+ INFO {2}load\n$/);
		const said = cli.stderr().split('\n');
		expect(said[0]).toBe('dbtail: waiting for automation/tonight to appear (HTTP 404 Not Found: no automation "tonight")');
		expect(said.filter((line) => line.includes('waiting for'))).toHaveLength(1);
		expect(cli.stderr()).toContain('dbtail: automation/tonight appeared\n');
	});

	it('without --wait, a source that does not exist is exit 2 at once', async () => {
		const server = await fixture().start();
		const cli = runCli(['follow', 'task/nope', '--server', server.url], {env: env()});
		expect(await cli.exited, cli.stderr()).toBe(2);
		expect(cli.stderr()).toBe('dbtail: HTTP 404 Not Found: no task "nope"\n');
	});
});

describe('dbtail follow --connect-timeout', () => {
	let gone: HostileServer | undefined;
	afterEach(async () => {
		await gone?.close();
		gone = undefined;
	});

	async function deadAddress(): Promise<string> {
		gone = await startHostileServer({records: 0});
		const {url} = gone;
		await gone.close();
		gone = undefined;
		return url;
	}

	it('exits 2 after that long without a connection, with the reason, instead of hanging a CI job', async () => {
		const cli = runCli(['follow', 'automation/nightly-etl', '--server', await deadAddress(), '--connect-timeout', '1'], {env: env()});
		expect(await cli.exited, cli.stderr()).toBe(2);
		const last = cli.stderr().trimEnd().split('\n').at(-1);
		expect(last).toMatch(/^dbtail: no connection for \ds, giving up \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/);
		expect(cli.stderr()).toMatch(/^dbtail: cannot connect \(connect ECONNREFUSED/);
	});

	it('on a URL whose listener accepts and never answers, says so after 5 s and exits 2 at the deadline, not a try later', async () => {
		const mute = await startMuteListener();
		try {
			const startedAt = performance.now();
			const cli = runCli(['follow', `${mute.url}/events`, '--connect-timeout', '7'], {env: env()});
			expect(await cli.exited, cli.stderr()).toBe(2);
			const took = performance.now() - startedAt;
			const peer = `127.0.0.1:${mute.port}`;
			expect(cli.stderr()).toBe(
				`dbtail: no answer from ${peer} yet (5s): waiting up to 38s a try, as some servers answer only with their first event\n` +
					`dbtail: no connection for 7s, giving up (no answer from ${peer} within 7s)\n`,
			);
			// One try on this listener lasts 37.5 s: the deadline cuts it.
			expect(took).toBeGreaterThanOrEqual(6500);
			expect(took).toBeLessThan(15_000);
		} finally {
			await mute.close();
		}
	});

	it('accepts a loopback --server without http://', async () => {
		const url = await deadAddress();
		const cli = runCli(['follow', 'all', '--server', url.replace('http://', ''), '--connect-timeout', '0.3'], {env: env()});
		expect(await cli.exited, cli.stderr()).toBe(2);
		expect(cli.stderr()).toContain('ECONNREFUSED');
	});
});
