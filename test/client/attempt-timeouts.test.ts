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

	it('a URL source on a listener that accepts and never answers says so once, while the attempt goes on', async () => {
		const mute = await startMuteListener();
		listener = mute;
		const run = collect({source: `${mute.url}/events`, heartbeatSeconds: 0.5, timeouts: {slowAnswerMs: 100}});
		run.stream.start();
		await run.until(() => reasons(run).length >= 2, 10_000, 'two failed attempts');
		run.stream.close();
		const said = run.notices.filter((notice) => notice.kind === 'slow-answer').map((notice) => notice.message);
		expect(said).toEqual([`no answer from 127.0.0.1:${mute.port} yet (100ms): waiting up to 1s a try, as some servers answer only with their first event`]);
		// Said before the first attempt ended: the wait is not an unexplained `connecting`.
		expect(run.notices.indexOf(run.notices.find((notice) => notice.kind === 'slow-answer')!)).toBe(0);
	});

	it('the time allowed without reaching the server cuts an attempt a silent listener holds (60 s in all, not 76)', async () => {
		const mute = await startMuteListener();
		listener = mute;
		const startedAt = performance.now();
		// The heartbeat deadline (37.5 s) would hold the attempt far past the 1.5 s allowed.
		const run = collect({source: `${mute.url}/events`, giveUpAfterMs: 1500});
		run.stream.start();
		const final = await run.ended(15_000);
		const took = performance.now() - startedAt;
		expect(final).toEqual({kind: 'failed', reason: `no connection for 2s, giving up (no answer from 127.0.0.1:${mute.port} within 2s)`});
		expect(took).toBeGreaterThanOrEqual(1400);
		expect(took).toBeLessThan(8000);
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
