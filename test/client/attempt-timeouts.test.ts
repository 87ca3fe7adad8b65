import {afterEach, describe, expect, it} from 'vitest';
import {resolveStreamTarget} from '../../source/client/stream-target.js';
import {startMuteListener, startStalledListener, type SilentListener} from '../helpers/silent-listeners.js';
import {collect} from './collect.js';

/*
 * An address that holds an attempt without refusing it: each attempt fails within a few seconds, with the
 * reason said as a refused connection's is, and is retried with backoff.
 */

let listener: SilentListener | undefined;
afterEach(async () => {
	await listener?.close();
	listener = undefined;
});

const reasons = (run: ReturnType<typeof collect>) => run.states.flatMap((state) => (state.kind === 'reconnecting' ? [state.lastError] : []));

describe('attempt timeouts', () => {
	it('are 5 s to connect and, for a dbtail server (which answers at once), 5 s to answer', () => {
		expect(resolveStreamTarget({source: 'automation/nightly-etl', server: 'http://127.0.0.1:1'}).timeouts).toEqual({connectMs: 5000, answerMs: 5000});
		expect(resolveStreamTarget({source: 'http://127.0.0.1:1/events'}).timeouts).toEqual({connectMs: 5000});
	});

	it('a dbtail server that accepts and never answers: "no answer", and again on the retry', async () => {
		const mute = await startMuteListener();
		listener = mute;
		const run = collect({source: 'automation/nightly-etl', server: mute.url, timeouts: {answerMs: 200}});
		run.stream.start();
		await run.until(() => reasons(run).length >= 2, 10_000, 'two failed attempts');
		run.stream.close();
		expect(reasons(run)).toEqual([`no answer from 127.0.0.1:${mute.port} within 200ms`, `no answer from 127.0.0.1:${mute.port} within 200ms`]);
		expect(mute.accepted()).toBeGreaterThanOrEqual(2);
		expect(run.states.at(-1)).toMatchObject({kind: 'reconnecting', attempt: 2});
	});

	it('a URL source waits for its answer until the heartbeat deadline (some servers send headers with their first event), then says the same', async () => {
		const mute = await startMuteListener();
		listener = mute;
		const run = collect({source: `${mute.url}/events`, heartbeatSeconds: 0.2});
		run.stream.start();
		await run.until(() => reasons(run).length >= 1, 10_000, 'a failed attempt');
		run.stream.close();
		expect(reasons(run)[0]).toMatch(new RegExp(`^no answer from 127\\.0\\.0\\.1:${mute.port} within \\d+ms$`));
	});

	it('an address that never completes the TCP handshake: "no connection" within the connect timeout', async () => {
		const stalled = await startStalledListener();
		listener = stalled;
		const run = collect({source: 'automation/nightly-etl', server: stalled.url, timeouts: {connectMs: 300}});
		run.stream.start();
		await run.until(() => reasons(run).length >= 1, 10_000, 'a failed attempt');
		run.stream.close();
		expect(reasons(run)[0]).toBe(`no connection to 127.0.0.1:${stalled.port} within 300ms`);
	});
});
