import {describe, expect, it} from 'vitest';
import type {StreamStatus} from '../../source/protocol/api.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

describe('backpressure', () => {
	const current = useServerFixture();

	it('cuts a reader that does not read with slow-consumer, keeps the fast one going, and the slow one resumes losing nothing', async () => {
		const fixture = current();
		const server = await fixture.start({maxQueueEvents: 1000, maxQueueBytes: 512 * 1024});
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const fast = fixture.track(await SseReader.open(`${server.url}/api/logs/stream?initial=0`));
		const slow = fixture.track(await SseReader.open(`${server.url}/api/logs/stream?initial=0`, {paused: true}));
		await fast.waitFor(() => fast.events.length > 0, 'connected');

		const openStreams = async () => ((await (await fetch(`${server.url}/api/stream/status`)).json()) as StreamStatus).connections;
		const payload = 'y'.repeat(1000);
		let lastId = '0';
		// Kernel socket buffers absorb a few MB before the server sees back-pressure: ingest until the cut, bounded.
		for (let batch = 0; batch < 500 && (await openStreams()) === 2; batch++) {
			({lastId} = await ingest(server.url, undefined, runId, Array.from({length: 200}, (_, i) => `${batch}/${i} ${payload}`)));
		}

		expect(await openStreams()).toBe(1);
		await fast.waitFor(() => fast.logs.at(-1)?.id === lastId, 'the fast reader to get everything');
		expect(fast.logs.map((record) => Number(record.id))).toEqual(Array.from({length: Number(lastId)}, (_, i) => i + 1));

		slow.resume();
		await slow.waitFor(() => slow.ended, 'the slow stream to end');
		expect(slow.events.at(-1)).toMatchObject({type: 'error', error: {code: 'slow-consumer', recoverable: true}});
		const got = slow.logs.map((record) => Number(record.id));
		expect(got.length).toBeLessThan(Number(lastId));
		expect(got).toEqual(Array.from({length: got.length}, (_, i) => i + 1));

		const resumed = fixture.track(await SseReader.open(`${server.url}/api/logs/stream`, {lastEventId: String(got.at(-1) ?? 0)}));
		await resumed.waitFor(() => resumed.logs.at(-1)?.id === lastId, 'the resumed reader to catch up');
		expect([...got, ...resumed.logs.map((record) => Number(record.id))]).toEqual(fast.logs.map((record) => Number(record.id)));
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		expect(metrics).toMatch(/^dbtail_slow_consumer_drops_total 1$/m);
	});

	it('counts only what a replaying reader will get: lines of other entities or under its level do not cut it', async () => {
		const fixture = current();
		const server = await fixture.start({maxQueueEvents: 1000, maxQueueBytes: 2 * 1024 * 1024});
		const payload = 'x'.repeat(1000);
		// Far more history than socket buffers hold: replay stays stuck behind readers that read nothing yet.
		const runA = await createRun(server.url, undefined, {automationId: 'etl-a'});
		for (let batch = 0; batch < 20; batch++) {
			const lines = Array.from({length: 500}, (_, i) => ({level: 'WARN', message: `${batch}/${i} ${payload}`, taskId: 'extract'}));
			await ingest(server.url, undefined, runA, lines);
		}

		const runB = await createRun(server.url, undefined, {automationId: 'etl-b'});
		const open = async (path: string) => fixture.track(await SseReader.open(`${server.url}${path}`, {paused: true}));
		const byScope = await open('/api/automations/tasks/extract/logs?stream=true');
		const byLevel = await open('/api/automations/etl-a/logs?stream=true&level=WARN');
		const slow = await open('/api/automations/etl-b/logs?stream=true&initial=0');

		const connections = async () => {
			const status = (await (await fetch(`${server.url}/api/stream/status`)).json()) as StreamStatus;
			return Object.fromEntries(status.streams.map(({stream, connections}) => [stream, connections]));
		};

		// Busy elsewhere: automation B, and INFO lines of another task in A's run (in scope of `byLevel`, under its floor).
		for (let batch = 0; batch < 500 && (await connections())['automation/etl-b'] === 1; batch++) {
			await ingest(server.url, undefined, runB, Array.from({length: 200}, (_, i) => `${batch}/${i} ${payload}`));
			await ingest(server.url, undefined, runA, Array.from({length: 20}, (_, i) => ({level: 'INFO', message: `load ${batch}/${i}`, taskId: 'load'})));
		}

		expect(await connections()).toEqual({'task/extract': 1, 'automation/etl-a': 1});
		for (const reader of [byScope, byLevel]) {
			reader.resume();
			await reader.waitFor(() => reader.logs.length === 10_000, 'the whole history');
			expect(reader.events.filter((event) => event.type === 'error')).toEqual([]);
			expect(reader.logs.every((record) => record.level === 'WARN' && record.taskId === 'extract')).toBe(true);
		}

		slow.resume();
		await slow.waitFor(() => slow.ended, 'the slow stream to end');
		expect(slow.events.at(-1)).toMatchObject({type: 'error', error: {code: 'slow-consumer'}});
	});
});
