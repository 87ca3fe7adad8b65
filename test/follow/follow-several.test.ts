import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startHostileServer} from '../helpers/hostile-sse-server.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow a b 'c-*'` with the built CLI against a real `dbtail serve` (SQLite): each source on its
 * own stream, lines written as they arrive with [source] first, globs matched in the catalog, and the
 * worst of the ends as the exit status.
 */

describe('dbtail follow with several sources', () => {
	let work: string;
	let server: ServeProcess;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-follow-several-'));
		server = await startServeProcess(path.join(work, 'several.db'));
		// Ended runs the globs find: etl-1 succeeded, etl-2 failed; other is of another name.
		for (const [id, result] of [['etl-1', 'succeeded'], ['etl-2', 'failed'], ['other', 'succeeded']] as const) {
			const runId = await createRun(server.url, undefined, {automationId: id});
			await ingest(server.url, undefined, runId, [
				{level: 'INFO', message: `${id} starts`, taskId: 'extract'},
				{level: 'WARN', message: `${id} ends`, taskId: 'load'},
			]);
			await finishRun(server.url, undefined, runId, result);
		}
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	const follow = (args: string[]) =>
		runCli(['follow', ...args, '--server', server.url, '--timestamps', 'none'], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
	const lines = (text: string) => text.split('\n').filter(Boolean);

	it('writes two live sources\' lines as they arrive, each once, each with its [source], and exits 0 when both succeed', async () => {
		const a = await createRun(server.url, undefined, {automationId: 'live-a'});
		const b = await createRun(server.url, undefined, {automationId: 'live-b'});
		await ingest(server.url, undefined, a, ['a0']);
		await ingest(server.url, undefined, b, ['b0']);
		const cli = follow(['automation/live-a', 'automation/live-b']);
		await cli.waitForStdout((text) => text.includes('a0\n') && text.includes('b0\n'));
		// One line at a time, alternating: the output keeps the order they arrived in, not one source then the other.
		const sent: string[] = [];
		for (let index = 1; index <= 4; index++) {
			for (const [run, name] of [[a, 'a'], [b, 'b']] as const) {
				await ingest(server.url, undefined, run, [`${name}${index}`]);
				sent.push(`[automation/live-${name}] INFO  ${name}${index}`);
				await cli.waitForStdout((text) => text.includes(`${name}${index}\n`));
			}
		}

		await finishRun(server.url, undefined, a, 'succeeded');
		await finishRun(server.url, undefined, b, 'succeeded');
		expect(await cli.exited, cli.stderr()).toBe(0);
		const printed = lines(cli.stdout());
		expect(printed.slice(2)).toEqual(sent);
		expect(printed.slice(0, 2).sort()).toEqual(['[automation/live-a] INFO  a0', '[automation/live-b] INFO  b0']);
		expect(cli.stderr()).toContain('dbtail: [automation/live-a] run ');
		expect(cli.stderr()).toContain('dbtail: [automation/live-b] run ');
	});

	it('follows what a glob matches in the catalog and exits with the worst result (one failed: 1)', async () => {
		const cli = follow(['automation/etl-*']);
		expect(await cli.exited, cli.stderr()).toBe(1);
		expect(lines(cli.stdout()).sort()).toEqual([
			'[automation/etl-1] INFO  [extract] etl-1 starts',
			'[automation/etl-1] WARN  [load] etl-1 ends',
			'[automation/etl-2] INFO  [extract] etl-2 starts',
			'[automation/etl-2] WARN  [load] etl-2 ends',
		]);
		// Each source's lines in their own order.
		expect(lines(cli.stdout()).filter((line) => line.startsWith('[automation/etl-2]'))[0]).toContain('starts');
		expect(cli.stderr()).toMatch(/dbtail: \[automation\/etl-2\] run r-\S+ failed/);
	});

	it('a source that cannot be followed (404) makes it 2, after the others are followed to their end', async () => {
		const cli = follow(['automation/etl-1', 'task/nope']);
		expect(await cli.exited, cli.stderr()).toBe(2);
		expect(cli.stderr()).toContain('dbtail: [task/nope] HTTP 404 Not Found: no task "nope"\n');
		expect(lines(cli.stdout())).toEqual(['[automation/etl-1] INFO  [extract] etl-1 starts', '[automation/etl-1] WARN  [load] etl-1 ends']);
	});

	it('one source prints exactly as before, with no prefix; a glob that matches one still says its source', async () => {
		const one = follow(['automation/etl-1']);
		expect(await one.exited, one.stderr()).toBe(0);
		expect(one.stdout()).toBe('INFO  [extract] etl-1 starts\nWARN  [load] etl-1 ends\n');
		expect(one.stderr()).toMatch(/^dbtail: run r-\S+ succeeded in \S+\n$/);
		const glob = follow(['automation/oth?r']);
		expect(await glob.exited, glob.stderr()).toBe(0);
		expect(glob.stdout()).toBe('[automation/other] INFO  [extract] other starts\n[automation/other] WARN  [load] other ends\n');
	});

	it('--json gives each record its "source"; a source named twice is followed once', async () => {
		const cli = follow(['automation/etl-1', 'automation/etl-1', 'automation/other', '--json']);
		expect(await cli.exited, cli.stderr()).toBe(0);
		const records = lines(cli.stdout()).map((line) => JSON.parse(line) as {source: string; automationId: string; message: string});
		expect(records).toHaveLength(4);
		for (const record of records) {
			expect(record.source).toBe(`automation/${record.automationId}`);
		}
	});

	it('refuses a glob that matches nothing, a glob without a kind, and --grep over several sources, naming each (exit 2)', async () => {
		const none = follow(['automation/etl-1', 'task/zz-*']);
		expect(await none.exited).toBe(2);
		expect(none.stderr()).toBe('dbtail: no source in the catalog matches "task/zz-*" (with --forever, follow waits for one)\n');
		expect(none.stdout()).toBe('');
		const kindless = follow(['etl-*']);
		expect(await kindless.exited).toBe(2);
		expect(kindless.stderr()).toContain('glob "etl-*" needs a kind before its id');
		const grep = follow(['automation/etl-1', 'automation/etl-2', '--grep', 'ends']);
		expect(await grep.exited).toBe(2);
		expect(grep.stderr()).toBe('dbtail: --grep searches one run of one source: give one source, not several or a glob\n');
	});

	// After the tests that read etl-1 and etl-2's ended runs: this one gives each a newer, running run.
	it('--run pins each source to its own earlier run', async () => {
		for (const id of ['etl-1', 'etl-2']) {
			const runId = await createRun(server.url, undefined, {automationId: id});
			await ingest(server.url, undefined, runId, [`${id} again`]);
		}

		const cli = follow(['automation/etl-*', '--run', 'previous']);
		expect(await cli.exited, cli.stderr()).toBe(1);
		expect(lines(cli.stdout()).filter((line) => line.includes('ends')).sort()).toEqual([
			'[automation/etl-1] WARN  [load] etl-1 ends',
			'[automation/etl-2] WARN  [load] etl-2 ends',
		]);
		expect(cli.stdout()).not.toContain('again');
	});

	it('with --forever, waits for a glob\'s first match and follows sources that appear later', async () => {
		const cli = follow(['automation/late-*', '--forever']);
		await cli.waitForStderr((text) => text.includes('no source in the catalog matches "automation/late-*" yet'));
		const first = await createRun(server.url, undefined, {automationId: 'late-1'});
		await ingest(server.url, undefined, first, ['first one']);
		await cli.waitForStdout((text) => text.includes('[automation/late-1] INFO  first one\n'));
		const second = await createRun(server.url, undefined, {automationId: 'late-2'});
		await ingest(server.url, undefined, second, ['second one']);
		await cli.waitForStdout((text) => text.includes('[automation/late-2] INFO  second one\n'));
		await ingest(server.url, undefined, first, ['first again']);
		await cli.waitForStdout((text) => text.includes('[automation/late-1] INFO  first again\n'));
		cli.child.kill('SIGINT');
		expect(await cli.exited, cli.stderr()).toBe(130);
		expect(lines(cli.stdout())).toEqual([
			'[automation/late-1] INFO  first one',
			'[automation/late-2] INFO  second one',
			'[automation/late-1] INFO  first again',
		]);
		expect(cli.stderr().match(/no source in the catalog matches/g)).toHaveLength(1);
	});

	it('with --forever and --connect-timeout, a catalog that cannot be read for that long is exit 2, said once and then given up', async () => {
		const gone = await startHostileServer({records: 0});
		const {url} = gone;
		await gone.close();
		const cli = runCli(['follow', 'automation/late-*', '--forever', '--connect-timeout', '1', '--server', url], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
		expect(await cli.exited, cli.stderr()).toBe(2);
		const said = cli.stderr().trimEnd().split('\n');
		expect(said).toHaveLength(2);
		expect(said[0]).toMatch(/^dbtail: cannot read the catalog \(cannot reach http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)\); asking again every 3s$/);
		expect(said[1]).toMatch(/^dbtail: no catalog for 1s, giving up \(cannot reach /);
	});
});
