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
});
