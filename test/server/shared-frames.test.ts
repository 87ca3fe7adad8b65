import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {describe, expect, it} from 'vitest';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import {ServerMetrics} from '../../source/server/metrics.js';
import {FrameQueue} from '../../source/server/sse/frame-queue.js';
import {sharedBatchFrame} from '../../source/server/sse/log-frames.js';
import {QueueBudget} from '../../source/server/sse/queue-budget.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

/*
 * A live feed batch is serialized once per stream shape (its scope and level floor) and goes to each client
 * as one frame of several records: every client still gets exactly its records, in order, once, with their
 * ids; and the queue's event limit counts records, not frames.
 */

const ids = (reader: SseReader) => reader.logs.map((record) => Number(record.id));

describe('shared live frames', () => {
	const current = useServerFixture();

	it('give streams of different scopes and level floors exactly their records of one batch, in order, with ids', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runA = await createRun(server.url, undefined, {automationId: 'etl-a'});
		const runB = await createRun(server.url, undefined, {automationId: 'etl-b'});
		const open = async (path: string) => fixture.track(await SseReader.open(`${server.url}${path}`));
		const all = [await open('/api/logs/stream?initial=0'), await open('/api/logs/stream?initial=0')];
		const warn = [await open('/api/logs/stream?initial=0&level=WARN'), await open('/api/logs/stream?initial=0&level=WARN')];
		const onlyA = await open('/api/automations/etl-a/logs?stream=true&initial=0');
		for (const reader of [...all, ...warn, onlyA]) {await reader.waitFor(() => reader.events.some((event) => event.type === 'status'), 'connected');}

		const levels = ['INFO', 'WARN', 'DEBUG', 'ERROR', 'INFO', 'WARN'];
		await ingest(server.url, undefined, runA, levels.map((level, index) => ({level, message: `a${index}`})));
		const {lastId} = await ingest(server.url, undefined, runB, levels.map((level, index) => ({level, message: `b${index}`})));
		for (const reader of [...all, ...warn]) {await reader.waitFor(() => reader.logs.at(-1)?.id === lastId, 'the last record');}
		await onlyA.waitFor(() => onlyA.logs.length === levels.length, 'run A');

		const every = Array.from({length: 12}, (_, index) => index + 1);
		for (const reader of all) {expect(ids(reader)).toEqual(every);}
		// WARN and ERROR: the 2nd, 4th and 6th line of each batch.
		for (const reader of warn) {expect(ids(reader)).toEqual([2, 4, 6, 8, 10, 12]);}
		expect(onlyA.logs.map((record) => record.message)).toEqual(['a0', 'a1', 'a2', 'a3', 'a4', 'a5']);
		// Each record is its own SSE event with its id, though written in one frame with the rest of its batch.
		for (const reader of [...all, ...warn, onlyA]) {
			expect(reader.frames.filter((frame) => frame.data?.type === 'log').map((frame) => frame.id)).toEqual(reader.logs.map((record) => record.id));
		}
	});

	it('are one string per batch, stream shape and run of ids, and a new one for another shape', () => {
		const batch = Array.from({length: 3}, (_, index): StoredLogRecord => ({
			id: String(index + 1),
			runId: 'r',
			level: 'INFO',
			message: `m${index} é`,
			timestamp: '2026-01-01T00:00:00.000Z',
		}) as StoredLogRecord);
		const first = sharedBatchFrame(batch, 'all\n', batch);
		expect(sharedBatchFrame(batch, 'all\n', [...batch])).toBe(first);
		expect(sharedBatchFrame(batch, 'all\nWARN', batch)).not.toBe(first);
		expect(sharedBatchFrame(batch, 'all\n', batch.slice(1))).not.toBe(first);
		expect(first.bytes).toBe(Buffer.byteLength(first.text));
		expect(first.text.split('\n\n').filter(Boolean).map((frame) => frame.split('\n')[0])).toEqual(['id: 1', 'id: 2', 'id: 3']);
	});

	it('count toward the event limit by the records they hold', async () => {
		const metrics = new ServerMetrics();
		const budget = new QueueBudget(256 * 1024 * 1024, 30_000, metrics);
		const limits: boolean[] = [];
		const server = http.createServer((_req, res) => {
			res.writeHead(200, {'content-type': 'text/event-stream'});
			const queue = new FrameQueue(res, {maxEvents: 10, maxBytes: 64 * 1024 * 1024}, metrics, budget, () => {});
			queue.push('data: 1\n\ndata: 2\n\n', undefined, 2);
			limits.push(queue.overLimit());
			queue.push('data: 3\n\n'.repeat(9), undefined, 9);
			limits.push(queue.overLimit());
			void queue.drained().then(() => res.end());
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		try {
			const {port} = server.address() as AddressInfo;
			const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
			// Two frames, eleven events: over a limit of ten; and every byte of both went out.
			expect(limits).toEqual([false, true]);
			expect(body).toBe(`data: 1\n\ndata: 2\n\n${'data: 3\n\n'.repeat(9)}`);
			expect(await metrics.registry.getSingleMetricAsString('dbtail_sse_events_sent_total')).toMatch(/ 11$/m);
		} finally {
			budget.close();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});
