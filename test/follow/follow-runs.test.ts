import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow --run` and `--grep` with the built CLI against a real `dbtail serve` (SQLite): an earlier
 * run printed whole with its own result as the exit code, a run searched through the server's history.
 */

describe('dbtail follow --run and --grep', () => {
	let work: string;
	let server: ServeProcess;
	const runs: string[] = [];

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-follow-runs-'));
		server = await startServeProcess(path.join(work, 'runs.db'));
		// Three runs of etl: the oldest failed, the middle one succeeded, the newest is running.
		for (const [index, result] of (['failed', 'succeeded', undefined] as const).entries()) {
			const runId = await createRun(server.url, undefined, {automationId: 'etl'});
			runs.push(runId);
			await ingest(server.url, undefined, runId, [
				{level: 'INFO', message: `run ${index} starts`, taskId: 'extract'},
				{level: 'ERROR', message: `run ${index} timeout talking to db`, taskId: 'load'},
				{level: 'INFO', message: `run ${index} ends`, taskId: 'load'},
			]);
			if (result) {
				await finishRun(server.url, undefined, runId, result);
			}
		}
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	const follow = (source: string, args: string[]) =>
		runCli(['follow', source, '--server', server.url, '--timestamps', 'none', ...args], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});

	const lines = (text: string) => text.split('\n').filter(Boolean);

	it('--run previous prints the run before the newest and exits with its result', async () => {
		const cli = follow('automation/etl', ['--run', 'previous']);
		expect(await cli.exited, cli.stderr()).toBe(0);
		expect(lines(cli.stdout())).toEqual(['INFO  [extract] run 1 starts', 'ERROR [load] run 1 timeout talking to db', 'INFO  [load] run 1 ends']);
	});

	it('--run 2 is two runs back, --run <id> that run, a task is read in that run of its automation', async () => {
		const back = follow('automation/etl', ['--run', '2']);
		expect(await back.exited, back.stderr()).toBe(1);
		expect(lines(back.stdout())[0]).toBe('INFO  [extract] run 0 starts');
		const named = follow('automation/etl', ['--run', runs[1]!]);
		expect(await named.exited, named.stderr()).toBe(0);
		expect(lines(named.stdout())).toHaveLength(3);
		const task = follow('task/load', ['--run', 'previous']);
		expect(await task.exited, task.stderr()).toBe(0);
		expect(lines(task.stdout())).toEqual(['ERROR [load] run 1 timeout talking to db', 'INFO  [load] run 1 ends']);
	});

	it('says in one line what --run cannot do', async () => {
		const cases: Array<[string, string[], RegExp]> = [
			['automation/etl', ['--run', '3'], /^dbtail: automation\/etl has 3 runs: none is 3 back\n$/],
			['automation/etl', ['--run', 'r 1'], /^dbtail: --run wants previous, a number of runs back, or a run id \(.*\), got "r 1"\n$/],
			['all', ['--run', 'previous'], /^dbtail: --run needs an automation, task, pipeline or artifact: "all" mixes every run\n$/],
			['automation/etl?run=r-1', ['--run', 'previous'], /^dbtail: the source already names run r-1: give --run or \?run=, not both\n$/],
			['automation/etl', ['--run', 'previous', '--forever'], /^dbtail: --run reads one run and exits: not with --forever\n$/],
			['automation/nobody', ['--run', 'previous'], /^dbtail: the server answered 404 for the runs of automation\/nobody: .*\n$/],
			['task/nobody', ['--run', 'previous'], /^dbtail: cannot find the run: history answered HTTP 404: .*\n$/],
		];
		for (const [source, args, expected] of cases) {
			const cli = follow(source, args);
			expect(await cli.exited, `${source} ${args.join(' ')}`).toBe(2);
			expect(cli.stderr()).toMatch(expected);
			expect(cli.stdout()).toBe('');
		}
	});

	it('--grep prints the matches of the newest run and exits 0; of --run previous; 1 when none matched', async () => {
		const newest = follow('automation/etl', ['--grep', 'TIMEOUT']);
		expect(await newest.exited, newest.stderr()).toBe(1);
		expect(newest.stderr()).toBe('dbtail: no line of automation/etl matches "TIMEOUT"\n');
		const smart = follow('automation/etl', ['--grep', 'timeout|ends']);
		expect(await smart.exited, smart.stderr()).toBe(0);
		expect(lines(smart.stdout())).toEqual(['ERROR [load] run 2 timeout talking to db', 'INFO  [load] run 2 ends']);
		const previous = follow('automation/etl', ['--grep', 'timeout', '--run', 'previous', '--json']);
		expect(await previous.exited, previous.stderr()).toBe(0);
		expect(lines(previous.stdout()).map((line) => (JSON.parse(line) as {message: string; runId: string}).runId)).toEqual([runs[1]]);
		const byLabel = follow('automation/etl', ['--grep', 'load', '--level', 'ERROR']);
		expect(await byLabel.exited, byLabel.stderr()).toBe(0);
		expect(lines(byLabel.stdout())).toEqual(['ERROR [load] run 2 timeout talking to db']);
	});

	it('--grep refuses what it cannot search, naming it, in one line', async () => {
		const cases: Array<[string, string[], RegExp]> = [
			['automation/etl', ['--grep', String.raw`(a)\1`], /^dbtail: bad --grep pattern "\(a\)\\1": backreference \\1 is not supported: .*\n$/],
			['automation/etl', ['--grep', ''], /^dbtail: bad --grep pattern "": .*\n$/],
			['automation/etl', ['--grep', 'x', '--wait'], /^dbtail: --grep searches what a run has logged: not with --wait\n$/],
			['http://127.0.0.1:9/api/logs/stream', ['--grep', 'x'], /^dbtail: --grep reads a dbtail server's runs: .*\n$/],
			['automation/nobody', ['--grep', 'x'], /^dbtail: history answered HTTP 404: .*\n$/],
		];
		for (const [source, args, expected] of cases) {
			const cli = follow(source, args);
			expect(await cli.exited, `${source} ${args.join(' ')}`).toBe(2);
			expect(cli.stderr()).toMatch(expected);
		}
	});
});

describe('dbtail follow --grep over a run longer than a page and a scan', () => {
	let work: string;
	let server: ServeProcess;
	let runId: string;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-follow-grep-'));
		server = await startServeProcess(path.join(work, 'grep.db'));
		runId = await createRun(server.url, undefined, {automationId: 'big'});
		// 25,000 lines, one in 1,000 a match: pages of 10,000 and more than one request.
		for (let batch = 0; batch < 5; batch++) {
			await ingest(server.url, undefined, runId, Array.from({length: 5000}, (_, index) => {
				const n = batch * 5000 + index;
				return n % 1000 === 999 ? `needle ${n}` : `hay ${n}`;
			}));
		}
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	const follow = (args: string[]) =>
		runCli(['follow', 'automation/big', '--server', server.url, '--timestamps', 'none', ...args], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});

	it('prints every match in order, and with --tail the last ones', async () => {
		const all = follow(['--grep', 'needle']);
		expect(await all.exited, all.stderr()).toBe(0);
		expect(all.stdout()).toBe(Array.from({length: 25}, (_, index) => `INFO  needle ${index * 1000 + 999}\n`).join(''));
		const last = follow(['--grep', 'needle', '--tail', '3']);
		expect(await last.exited, last.stderr()).toBe(0);
		expect(last.stdout()).toBe('INFO  needle 22999\nINFO  needle 23999\nINFO  needle 24999\n');
		const filtered = follow(['--grep', 'needle', '--filter', '4999$']);
		expect(await filtered.exited, filtered.stderr()).toBe(0);
		expect(filtered.stdout()).toBe('INFO  needle 4999\nINFO  needle 14999\nINFO  needle 24999\n');
	});

	it('reads on page after page where the matches pass a page (10,000)', async () => {
		const hay = follow(['--grep', 'hay', '--json']);
		expect(await hay.exited, hay.stderr()).toBe(0);
		const messages = hay.stdout().trim().split('\n').map((line) => (JSON.parse(line) as {message: string}).message);
		expect(messages).toHaveLength(24_975);
		expect([messages[0], messages[9999], messages.at(-1)]).toEqual(['hay 0', 'hay 10009', 'hay 24998']);
		expect(new Set(messages).size).toBe(24_975);
	});
});
