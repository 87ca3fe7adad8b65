import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {runCli, tempConfigDir} from './run-cli.js';

/*
 * `dbtail follow --filter` with patterns that make a backtracking engine take exponential time, against a
 * real `dbtail serve` (SQLite) and the built CLI: it must print what matches and end with the run, and a
 * signal must end it at once. With V8's engine, `(a+)+$` on 40 `a`s and a `!` never returned.
 */

const FORTY = 'a'.repeat(40);

describe('dbtail follow --filter: no pattern can freeze it', () => {
	let work: string;
	let server: ServeProcess;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-follow-patterns-'));
		server = await startServeProcess(path.join(work, 'patterns.db'));
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	const follow = (source: string, args: string[]) =>
		runCli(['follow', source, '--server', server.url, '--timestamps', 'none', ...args], {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});

	it('filters lines of 40 a with (a+)+$ and ends with the run at once', async () => {
		const runId = await createRun(server.url, undefined, {automationId: 'backtrack'});
		await ingest(server.url, undefined, runId, [`${FORTY}!`, FORTY, `${FORTY}!`, 'done']);
		await finishRun(server.url, undefined, runId, 'succeeded');
		const started = Date.now();
		const cli = follow('automation/backtrack', ['--filter', '(a+)+$', '--exclude', '^(a|aa)+!$']);
		expect(await cli.exited, cli.stderr()).toBe(0);
		expect(Date.now() - started).toBeLessThan(5000);
		expect(cli.stdout()).toBe(`INFO  ${FORTY}\n`);
	});

	it('ends on SIGTERM at once while lines that would backtrack keep coming', async () => {
		const runId = await createRun(server.url, undefined, {automationId: 'busy'});
		await ingest(server.url, undefined, runId, ['first']);
		const cli = follow('automation/busy', ['--filter', '(a+)+$|first']);
		await cli.waitForStdout((text) => text.includes('first'));
		await ingest(server.url, undefined, runId, Array.from({length: 50}, () => `${FORTY}!`));
		cli.child.kill('SIGTERM');
		const signalled = Date.now();
		expect(await cli.exited, cli.stderr()).toBe(143);
		// It ends by itself (no SIGKILL); the bound is for a process on a loaded 2-core machine, not a benchmark.
		expect(Date.now() - signalled).toBeLessThan(5000);
	});

	it('refuses what needs backtracking, naming it, in one line', async () => {
		const backreference = follow('automation/backtrack', ['--filter', String.raw`(a)\1`]);
		expect(await backreference.exited).toBe(2);
		expect(backreference.stderr()).toBe(String.raw`dbtail: bad --filter pattern "(a)\1": backreference \1 is not supported: patterns match in linear time, so no pattern can freeze dbtail` + '\n');
		const lookahead = follow('automation/backtrack', ['--exclude', 'x(?=y)']);
		expect(await lookahead.exited).toBe(2);
		expect(lookahead.stderr()).toMatch(/^dbtail: bad --exclude pattern "x\(\?=y\)": lookahead \(\?= is not supported: .*\n$/);
		const malformed = follow('automation/backtrack', ['--filter', 'retry(']);
		expect(await malformed.exited).toBe(2);
		expect(malformed.stderr()).toBe('dbtail: bad --filter pattern "retry(": invalid regex: missing closing ): `retry(`\n');
	});
});
