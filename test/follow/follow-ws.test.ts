import {afterEach, describe, expect, it} from 'vitest';
import {startWsLogServer, type WsLogServer} from '../client/ws-log-server.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow ws://…` as a real process (dist/, built first) against a real WebSocket server that cuts
 * every 197 frames: every line of the job once and in order, in both server shapes, with the shipped
 * reconnect policy; and the gap said where nothing can fill one.
 */

let server: WsLogServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const lineCount = (text: string) => text.split('\n').filter(Boolean).length;

describe('dbtail follow ws://', () => {
	it.each(['stratal', 'forwarder'] as const)('prints a %s job once and in order across cuts', async (shape) => {
		server = await startWsLogServer({shape, before: 300, total: 1500, perTick: 1, cutEvery: 197});
		const cli = runCli(['follow', server.url, '--timestamps', 'iso'], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		server.start();
		// A line lost never comes: past the deadline the comparison below says which.
		await cli.waitForStdout((text) => lineCount(text) >= 1500, 30_000).catch(() => {});
		await new Promise<void>((resolve) => {
			// One more server tick at most could add nothing: the job stopped at 1500.
			setImmediate(resolve);
		});
		// Stratal's live lines name the task (task_name), its history only the task run (t-1): the label is left out.
		const printed = cli.stdout().split('\n').filter(Boolean).map((line) => line.replace(/ \[(load|t-1)\] /, ' '));
		const want = server.lines.map((line) => `${line.timestamp} ${line.level === 'error' ? 'ERROR' : 'INFO '} ${line.message}`);
		const wrong = want.findIndex((line, i) => printed[i] !== line);
		expect(wrong, `line ${wrong}: ${printed[wrong]} for ${want[wrong]}; stderr: ${cli.stderr()}`).toBe(-1);
		expect(printed).toEqual(want);
		expect(server.connections.length).toBeGreaterThan(2);
		cli.child.kill('SIGINT');
		expect(await cli.exited).toBe(130);
	}, 90_000);

	it('says a gap it cannot fill on stderr, with --resume-param none and no history', async () => {
		server = await startWsLogServer({shape: 'forwarder', total: 400, perTick: 1, cutEvery: 100});
		const cli = runCli(['follow', server.url, '--resume-param', 'none', '--dialect', 'stratal'], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		server.start();
		await cli.waitForStderr((text) => /gap: lines may be missing between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d/.test(text), 30_000);
		expect(server.connections.every((query) => query.get('since') === null)).toBe(true);
		cli.child.kill('SIGINT');
		await cli.exited;
	});

	it('refuses a bad --resume-param as a usage error', async () => {
		const cli = runCli(['follow', 'ws://127.0.0.1:19901/ws', '--resume-param', 'a b'], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		expect(await cli.exited).toBe(2);
		expect(cli.stderr()).toContain('bad --resume-param "a b"');
	});
});
