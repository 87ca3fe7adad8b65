import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {collect, sequenceProblem} from './collect.js';

/*
 * The chaos cases in hostile-stream.test.ts shorten the reconnect delays to milliseconds, which hid how the
 * shipped policy behaves when every response is cut short (serverless hosts, a proxy with a short read
 * timeout): delays grew while every connection worked. Here the client runs with the delays users get.
 * The deadlines bound the test; they are not the figure under test (an escalating backoff takes minutes).
 */

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('LogStream with the default reconnect policy', () => {
	it('gets 5,000 lines through a server that cuts every stream after a few hundred events mid-frame', async () => {
		server = await startHostileServer({
			records: 5000,
			seed: 11,
			complete: 'succeeded',
			// A record frame is about 200 bytes: 200 to 400 events a connection, cut inside a frame.
			disconnectAfterBytes: [40_000, 80_000],
			maxWrite: 4096,
			retries: [50, 200, 120],
		});
		const run = collect({source: 'automation/nightly-etl', server: server.url, reconnect: {}});
		run.stream.start();
		const final = await run.ended(20_000);
		run.stream.close();
		expect(sequenceProblem(run.records, 5000)).toBeUndefined();
		expect(final).toMatchObject({kind: 'completed', result: 'succeeded'});
		expect(server.requests.length).toBeGreaterThan(10);
		// Never more than the server's retry: no attempt count grows while every connection delivers.
		const attempts = run.states.flatMap((state) => (state.kind === 'reconnecting' ? [state.attempt] : []));
		expect(Math.max(...attempts)).toBe(1);
		const gaps = server.requests.slice(1).map((request, index) => request.at - server!.requests[index]!.at);
		expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
	}, 30_000);

	it('still backs off, growing, from a server that refuses every connection', async () => {
		server = await startHostileServer({records: 1, answer: () => ({status: 503, body: '{"error":{"code":"internal","message":"down"}}'})});
		const run = collect({source: 'automation/nightly-etl', server: server.url, reconnect: {minDelayMs: 20, maxDelayMs: 1000}});
		run.stream.start();
		await run.until(() => server!.requests.length >= 5, 10_000, 'five attempts');
		run.stream.close();
		const attempts = run.states.flatMap((state) => (state.kind === 'reconnecting' ? [state.attempt] : []));
		expect(attempts.slice(0, 4)).toEqual([1, 2, 3, 4]);
	});
});
