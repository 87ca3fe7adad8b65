import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {Catalog, HistoryAnswer} from '../../source/protocol/api.js';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {until} from '../helpers/until.js';
import {SseReader} from './sse-reader.js';

/*
 * The real CLI in its own process (dist/, built by `npm test`'s pretest): kill -9, SIGTERM, usage errors.
 */

const TOKEN = 'process-test-token';

async function allRecords(url: string): Promise<StoredLogRecord[]> {
	const records: StoredLogRecord[] = [];
	for (let after = '0'; ; ) {
		const response = await fetch(`${url}/api/logs?after=${after}&limit=10000`, {headers: {authorization: `Bearer ${TOKEN}`}});
		const page = (await response.json()) as HistoryAnswer;
		records.push(...page.logs);
		if (!page.next) {return records;}
		after = page.next;
	}
}

async function runToExit(args: string[]): Promise<{code: number | null; stderr: string}> {
	const child = spawn(process.execPath, [fileURLToPath(new URL('../../bin/dbtail.js', import.meta.url)), 'serve', ...args], {stdio: ['ignore', 'ignore', 'pipe']});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	return {code, stderr};
}

describe('dbtail serve as a process', () => {
	let dir: string;
	const processes: ServeProcess[] = [];
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-serve-'));
	});
	afterEach(async () => {
		await Promise.all(processes.splice(0).map(async (serve) => serve.stop('SIGKILL')));
		rmSync(dir, {recursive: true, force: true});
	});

	const start = async (args: string[] = []) => {
		const serve = await startServeProcess(path.join(dir, 'logs.db'), ['--token', TOKEN, ...args]);
		processes.push(serve);
		return serve;
	};

	it('kill -9 during ingest and a restart keep every acknowledged line and the epoch; a cut batch is all or nothing', async () => {
		const first = await start();
		const epoch = ((await (await fetch(`${first.url}/healthz`)).json()) as {epoch: string}).epoch;
		const runId = await createRun(first.url, TOKEN, {automationId: 'etl'});
		const acked: string[] = [];
		const size = 200;
		const producing = (async () => {
			for (let batch = 0; ; batch++) {
				const lines = Array.from({length: size}, (_, i) => `batch ${batch} line ${i}`);
				try {
					acked.push((await ingest(first.url, TOKEN, runId, lines)).lastId);
				} catch {
					return;
				}
			}
		})();
		await until(() => acked.length >= 30, '30 acknowledged batches');
		expect(await first.stop('SIGKILL')).toBeNull();
		await producing;

		const second = await start();
		expect(((await (await fetch(`${second.url}/healthz`)).json()) as {epoch: string}).epoch).toBe(epoch);
		const records = await allRecords(second.url);
		const ids = new Set(records.map((record) => record.id));
		for (const lastId of acked) {expect(ids.has(lastId), `acknowledged id ${lastId}`).toBe(true);}
		expect(records.length % size).toBe(0);
		expect(records.length).toBeGreaterThanOrEqual(acked.length * size);
		expect(records.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
		expect(records.map((record) => record.message)).toEqual(records.map((_, index) => `batch ${Math.floor(index / size)} line ${index % size}`));
		// The ids go on after the restart: nothing is reused.
		const more = await ingest(second.url, TOKEN, runId, ['after restart']);
		expect(Number(more.firstId)).toBeGreaterThan(Number(records.at(-1)!.id));
	});

	it('on SIGTERM sends shutdown on open streams and exits 0 within 5 s', async () => {
		const serve = await start();
		await ingest(serve.url, TOKEN, {automationId: 'etl'}, ['x']);
		const reader = await SseReader.open(`${serve.url}/api/automations/etl/logs?stream=true`, {token: TOKEN});
		await reader.waitFor(() => reader.logs.length === 1, 'the record');
		const started = Date.now();
		expect(await serve.stop('SIGTERM')).toBe(0);
		expect(Date.now() - started).toBeLessThan(5000);
		await reader.waitFor(() => reader.ended, 'the stream to end');
		expect(reader.events.at(-1)).toEqual({type: 'status', status: 'shutdown'});
		expect(serve.output()).toMatch(/^dbtail server listening on http:\/\/127\.0\.0\.1:\d+$/m);
	});

	it('takes scoped tokens from a tokens file, never prints them, and drains on SIGINT too', async () => {
		const tokens = path.join(dir, 'tokens');
		writeFileSync(tokens, '# scopes per token\nfile-reader read\nfile-writer write\n', {mode: 0o600});
		const serve = await startServeProcess(path.join(dir, 'scoped.db'), ['--tokens-file', tokens]);
		processes.push(serve);
		const create = async (token: string) =>
			(await fetch(`${serve.url}/api/runs`, {method: 'POST', headers: {authorization: `Bearer ${token}`, 'content-type': 'application/json'}, body: '{"automationId":"etl"}'})).status;
		expect(await create('file-reader')).toBe(403);
		expect(await create('file-writer')).toBe(201);
		expect((await fetch(`${serve.url}/api/catalog`, {headers: {authorization: 'Bearer file-reader'}})).status).toBe(200);
		expect(await serve.stop('SIGINT')).toBe(0);
		expect(serve.output()).toMatch(/auth: 2 tokens/);
		expect(serve.output()).not.toMatch(/file-reader|file-writer/);
	});

	it('with --demo fills the catalog and streams demo runs', async () => {
		const serve = await start(['--demo', '--rate', '200']);
		const reader = await SseReader.open(`${serve.url}/api/automations/nightly-etl/logs?stream=true&heartbeat=1`, {token: TOKEN});
		try {
			await reader.waitFor(() => reader.logs.length >= 5, 'demo lines');
			const catalog = (await (await fetch(`${serve.url}/api/catalog`, {headers: {authorization: `Bearer ${TOKEN}`}})).json()) as Catalog;
			expect(catalog.automations.map((entry) => [entry.id, entry.tasks])).toEqual([
				['hourly-sync', ['fetch', 'upsert']],
				['nightly-etl', ['extract', 'transform', 'load']],
			]);
			expect(catalog.pipelines.map((entry) => [entry.id, entry.artifacts])).toEqual([['sales-report', ['orders-parquet', 'report-csv']]]);
			expect(reader.logs[0]).toMatchObject({automationId: 'nightly-etl', runId: expect.stringMatching(/^r-\d+$/)});
		} finally {
			reader.close();
		}
	});

	it('reports user mistakes as one line and exit 2, never a stack', async () => {
		const tokens = path.join(dir, 'tokens');
		writeFileSync(tokens, 'abc read,admin\n', {mode: 0o600});
		const cases: Array<[string[], RegExp]> = [
			[['--host', '0.0.0.0', '--db', path.join(dir, 'a.db')], /^dbtail: refusing to listen on 0\.0\.0\.0 with no token/],
			[['--port', '70000'], /^dbtail: --port must be a whole number from 0 to 65535/],
			[['--tokens-file', path.join(dir, 'missing')], /^dbtail: cannot read the tokens file .*missing: ENOENT/],
			[['--tokens-file', tokens], /^dbtail: tokens file .*: line 1: expected/],
			[['--durability', 'yolo'], /^dbtail: --durability must be normal or full/],
			[['--rate', '5'], /^dbtail: --rate only applies with --demo/],
			[['--cors-origin', 'http://localhost:3000', '--cors-origin', 'localhost:3000'], /^dbtail: --cors-origin "localhost:3000" is not an origin: give scheme:\/\/host\[:port\], e\.g\. http:\/\/localhost:3000\n$/],
			[['--cors-origin', '*'], /^dbtail: --cors-origin "\*" is refused: list each origin/],
		];
		const running = await start();
		cases.push([['--port', '0', '--db', path.join(dir, 'logs.db')], /^dbtail: the store .*logs\.db is in use by another process/]);
		for (const [args, message] of cases) {
			const {code, stderr} = await runToExit(args);
			expect(code, args.join(' ')).toBe(2);
			expect(stderr, args.join(' ')).toMatch(message);
			expect(stderr).not.toMatch(/\n\s+at /);
		}

		expect(await running.stop()).toBe(0);
	});
});
