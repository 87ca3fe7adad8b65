import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {collect} from './collect.js';

/*
 * The real thing: `dbtail serve` in its own process is killed with SIGKILL mid-stream and started again on
 * the same SQLite file and port, while lines keep coming. The follower must end with every line once.
 */

let server: ServeProcess | undefined;
afterEach(async () => {
	await server?.stop('SIGKILL');
	server = undefined;
});

const TOTAL = 10_000;
const BATCH = 500;

async function ingestRange(url: string, runId: string, from: number, to: number): Promise<void> {
	for (let start = from; start <= to; start += BATCH) {
		const lines = Array.from({length: Math.min(BATCH, to - start + 1)}, (_, index) => ({
			level: 'INFO',
			message: `line ${start + index}`,
			taskId: 'extract',
		}));
		 
		await ingest(url, undefined, runId, lines);
	}
}

describe('LogStream against dbtail serve', () => {
	it('delivers 10,000 lines once and in order across a kill -9 and restart of the server mid-stream', async () => {
		const dbPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-restart-')), 'logs.db');
		server = await startServeProcess(dbPath);
		const {url, port} = server;
		const runId = await createRun(url, undefined, {automationId: 'nightly-etl'});
		await ingestRange(url, runId, 1, 4000);

		const run = collect({source: 'automation/nightly-etl', server: url, reconnect: {minDelayMs: 50, maxDelayMs: 300}});
		// Hold the socket after 2000 lines, so the kill lands with the rest of the run still unread.
		run.stream.on('record', () => {
			if (run.records.length === 2000) {
				run.stream.pause();
			}
		});
		run.stream.start();
		await run.until(() => run.records.length >= 2000, 20_000, '2000 records');

		await server.stop('SIGKILL');
		expect(run.records.length).toBeLessThan(4000);
		run.stream.resume();
		await run.until(() => run.states.some((state) => state.kind === 'reconnecting'), 10_000, 'the client to notice');
		server = await startServeProcess(dbPath, [], {port});
		await ingestRange(url, runId, 4001, TOTAL);
		await finishRun(url, undefined, runId, 'succeeded');

		const final = await run.ended(30_000);
		run.stream.close();
		expect(final).toMatchObject({kind: 'completed', result: 'succeeded', runId});
		expect(run.records).toHaveLength(TOTAL);
		expect(run.records.map((record) => record.seq)).toEqual(Array.from({length: TOTAL}, (_, index) => index + 1));
		expect(run.records.every((record, index) => record.message === `line ${index + 1}`)).toBe(true);
		const ids = run.records.map((record) => BigInt(record.id!));
		expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
		expect(run.stream.stats.reconnects).toBeGreaterThanOrEqual(1);
	});
});
