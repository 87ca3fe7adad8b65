import {spawn} from 'node:child_process';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it as test} from 'vitest';
import type {HistoryAnswer} from '../../source/protocol/api.js';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

const producer = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/producer.mjs');

async function allRecords(url: string): Promise<StoredLogRecord[]> {
	const records: StoredLogRecord[] = [];
	let after = '0';
	for (;;) {
		const page = (await (await fetch(`${url}/api/logs?after=${after}&limit=10000`)).json()) as HistoryAnswer;
		records.push(...page.logs);
		if (!page.next) {return records;}
		after = page.next;
	}
}

/** Runs fixtures/producer.mjs in its own process; resolves with its acknowledged last ids. */
async function runProducer(url: string, runId: string, batches: number, size: number): Promise<string[]> {
	const child = spawn(process.execPath, [producer, url, runId, String(batches), String(size)], {stdio: ['ignore', 'pipe', 'pipe']});
	let out = '';
	let err = '';
	child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	expect(code, err).toBe(0);
	return out.trim().split('\n').map((line) => (JSON.parse(line) as {lastId: string}).lastId);
}

const backends = await storeBackends();

describe.each(backends)('resume and the history/live seam, with another process ingesting on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('returns exactly the missing records in order after any id, and a fresh connect gets the whole run once', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		// Enough history that replay takes many pages, so live records arrive between pages (the seam).
		const warm = Array.from({length: 2000}, (_, i) => ({level: 'INFO', message: `warm ${i} ${'x'.repeat(200)}`, taskId: i % 2 ? 'odd' : 'even'}));
		const first = await ingest(server.url, undefined, runId, warm);
		expect(first).toMatchObject({firstId: '1', lastId: '2000', count: 2000});

		const producing = runProducer(server.url, runId, 30, 50);
		// Readers connect while the producer writes: every resume point, every stream kind.
		const resumePoints = ['0', '1', '777', '1500', '1999', '2000'];
		const streams = resumePoints.flatMap((id) => [
			{id, kind: 'automation', reader: SseReader.open(`${server.url}/api/automations/etl/logs?stream=true`, {lastEventId: id})},
			{id, kind: 'task', reader: SseReader.open(`${server.url}/api/automations/tasks/odd/logs?stream=true&since=${id}`)},
			{id, kind: 'all', reader: SseReader.open(`${server.url}/api/logs/stream`, {lastEventId: id})},
		]);
		const fresh = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true`));
		const readers = await Promise.all(streams.map(async (entry) => ({...entry, reader: fixture.track(await entry.reader)})));
		const acks = await runProducer(server.url, runId, 10, 50).then(async (more) => [...(await producing), ...more]);
		expect(acks).toHaveLength(40);

		const records = await allRecords(server.url);
		expect(records).toHaveLength(2000 + 40 * 50);
		const lastId = records.at(-1)!.id;
		const lastOdd = records.filter((record) => record.taskId === 'odd').at(-1)!.id;
		for (const {id, kind, reader} of readers) {
			const expected = records.filter((record) => Number(record.id) > Number(id) && (kind !== 'task' || record.taskId === 'odd'));
			await reader.waitFor(() => reader.logs.at(-1)?.id === (kind === 'task' ? lastOdd : lastId), `${kind} after ${id} to catch up`);
			expect(reader.logs.map((record) => record.id), `${kind} after ${id}`).toEqual(expected.map((record) => record.id));
		}

		await fresh.waitFor(() => fresh.logs.at(-1)?.id === lastId, 'the fresh reader to catch up');
		expect(fresh.logs.map((record) => record.seq)).toEqual(records.map((_, index) => index + 1));
	});
});
