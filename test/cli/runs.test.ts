import net from 'node:net';
import {describe, expect, it} from 'vitest';
import type {RunSummary} from '../../source/protocol/api.js';
import {formatRunsTable} from '../../source/commands/runs.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {runCli, tempConfigDir} from '../follow/run-cli.js';
import {useServerFixture} from '../server/server-fixture.js';

/* `dbtail runs`: the real bin against a real server, and the table's layout. */

async function run(args: string[]) {
	const cli = runCli(args, {env: {DBTAIL_CONFIG_DIR: tempConfigDir()}});
	const code = await cli.exited;
	return {code, stdout: cli.stdout(), stderr: cli.stderr()};
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as net.AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

const summary = (runId: string, more: Partial<RunSummary> = {}): RunSummary => ({
	runId,
	status: 'succeeded',
	startedAt: '2026-11-22T10:28:32.000Z',
	finishedAt: '2026-11-22T10:32:44.000Z',
	automationId: 'etl',
	durationMs: 252_000,
	lines: 18_342,
	warnings: 12,
	errors: 0,
	...more,
});

describe('dbtail runs', () => {
	const current = useServerFixture();

	it('adds a MATCHES column with grep, a lower bound where the server stopped counting', () => {
		const table = formatRunsTable([summary('r-2', {matches: {count: 1200, complete: false}}), summary('r-1', {matches: {count: 3, complete: true}})], true);
		expect(table.split('\n').map((line) => line.split(/\s{2,}/).at(-1))).toEqual(['MATCHES', '≥1,200', '3', '']);
	});

	it('formats runs as a table with numbers right-aligned and server text neutralized', () => {
		const table = formatRunsTable([summary('r-4021', {status: 'failed', errors: 3}), summary('r-9\u001B[2J', {durationMs: 850, lines: 7, warnings: 0})]);
		expect(table).toBe(
			[
				'RUN      STARTED               DURATION  RESULT      LINES  WARN  ERROR',
				'r-4021   2026-11-22 10:28:32Z     4m12s  failed     18,342    12      3',
				'r-9\u241B[2J  2026-11-22 10:28:32Z     850ms  succeeded       7     0      0',
				'',
			].join('\n'),
		);
	});

	it('lists an automation\'s runs newest first, as a table or as NDJSON, paged with --limit', async () => {
		const server = await current().start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, first, ['a', {level: 'WARN', message: 'w'}, {level: 'ERROR', message: 'e', taskId: 'load'}]);
		await finishRun(server.url, undefined, first, 'failed');
		const second = await createRun(server.url, undefined, {automationId: 'etl'});

		const table = await run(['runs', 'automation/etl', '--server', server.url]);
		expect([table.code, table.stderr]).toEqual([0, '']);
		const lines = table.stdout.trimEnd().split('\n');
		expect(lines[0]).toMatch(/^RUN\s+STARTED\s+DURATION\s+RESULT\s+LINES\s+WARN\s+ERROR$/);
		expect(lines.slice(1).map((line) => line.split(/\s{2,}/).filter((cell, index) => index !== 1 && index !== 2))).toEqual([
			[second, 'running', '0', '0', '0'],
			[first, 'failed', '3', '1', '1'],
		]);

		const json = await run(['runs', 'automation/etl', '--server', server.url, '--json', '--limit', '1']);
		expect(json.code).toBe(0);
		const parsed = json.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as RunSummary);
		expect(parsed.map((one) => [one.runId, one.status, one.lines])).toEqual([[second, 'running', 0]]);

		const marked = await run(['runs', 'automation/etl', '--server', server.url, '--grep', '^w$|\\[load\\]']);
		expect([marked.code, marked.stderr]).toEqual([0, '']);
		const rows = marked.stdout.trimEnd().split('\n').map((line) => line.split(/\s{2,}/));
		expect(rows.map((row) => [row[0], row.at(-1)])).toEqual([['RUN', 'MATCHES'], [second, '0'], [first, '2']]);
	});

	it('exits 2 with one line for a usage or connection error', async () => {
		const server = await current().start();
		await createRun(server.url, undefined, {automationId: 'etl'});
		const closed = await closedPort();
		const cases: Array<[string[], string]> = [
			[['runs'], 'dbtail: runs needs a source, e.g. "dbtail runs automation/nightly-etl"\n'],
			[['runs', 'task/load', '--server', server.url], 'dbtail: runs lists the runs of automation/<id> or pipeline/<id>, not "task/load"\n'],
			[['runs', 'automation/etl', '--server', server.url, '--limit', '0'], 'dbtail: --limit must be a whole number above 0, at most 100000, not "0"\n'],
			[['runs', 'automation/nope', '--server', server.url], 'dbtail: the server answered 404 for the runs of automation/nope: no automation "nope"\n'],
			[['runs', 'automation/etl', '--grep', 'a(?=b)'], 'dbtail: bad --grep pattern "a(?=b)": lookahead (?= is not supported: patterns match in linear time, so no pattern can freeze dbtail\n'],
			[['runs', 'automation/etl'], 'dbtail: no server to list runs from: pass --server URL or run "dbtail config set server URL"\n'],
			[['runs', 'automation/etl', '--server', `http://127.0.0.1:${closed}`], `dbtail: cannot reach http://127.0.0.1:${closed} (ECONNREFUSED)\n`],
		];
		for (const [args, stderr] of cases) {
			const result = await run(args);
			expect([args, result.code, result.stderr, result.stdout]).toEqual([args, 2, stderr, '']);
		}
	});
});
