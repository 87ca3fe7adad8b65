import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {collect} from './collect.js';

/* Who decides when a stream tries again: the user (reconnectNow), and a script's patience (giveUpAfterMs). */

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

/** A port where nothing listens now (a server was there a moment ago, so one can come back on it). */
async function closedPort(): Promise<number> {
	const gone = await startHostileServer({records: 0});
	const port = Number(new URL(gone.url).port);
	await gone.close();
	return port;
}

describe('reconnectNow', () => {
	it('cuts a long backoff short: the stream is live as soon as it is asked to try', async () => {
		const port = await closedPort();
		const run = collect({source: 'automation/nightly-etl', server: `http://127.0.0.1:${port}`, reconnect: {minDelayMs: 600_000, maxDelayMs: 600_000}});
		run.stream.start();
		await run.until(() => run.stream.state.kind === 'reconnecting', 10_000, 'the first refusal');
		expect(run.stream.state).toMatchObject({lastError: expect.stringContaining('ECONNREFUSED')});
		server = await startHostileServer({records: 3, port});
		expect(run.stream.reconnectNow()).toBe(true);
		await run.until(() => run.records.length === 3, 10_000, 'the records');
		expect(run.stream.state.kind).toBe('live');
		run.stream.close();
	});

	it('resumes a live connection where it was: the new one sends Last-Event-ID, and no line comes twice', async () => {
		server = await startHostileServer({records: 5});
		const run = collect({source: 'automation/nightly-etl', server: server.url});
		run.stream.start();
		await run.until(() => run.records.length === 5, 10_000, 'the records');
		expect(run.stream.reconnectNow()).toBe(true);
		await run.until(() => server!.requests.length === 2 && run.stream.state.kind === 'live', 10_000, 'the second connection');
		expect(server.requests[1]!.headers['last-event-id']).toBe('5');
		expect(run.records.map((record) => record.id)).toEqual(['1', '2', '3', '4', '5']);
		expect(run.stream.stats.reconnects).toBe(1);
		run.stream.close();
	});

	it('says false when there is nothing to reconnect: not started, or over', async () => {
		server = await startHostileServer({records: 1, answer: () => ({status: 403, body: '{"error":{"code":"forbidden","message":"no"}}'})});
		const run = collect({source: 'automation/nightly-etl', server: server.url});
		expect(run.stream.reconnectNow()).toBe(false);
		run.stream.start();
		await run.ended();
		expect(run.stream.reconnectNow()).toBe(false);
		expect(server.requests).toHaveLength(1);
	});
});

describe('giveUpAfterMs', () => {
	it('fails after that long without reaching the server, saying why', async () => {
		const port = await closedPort();
		const run = collect({source: 'automation/nightly-etl', server: `http://127.0.0.1:${port}`, giveUpAfterMs: 300, reconnect: {minDelayMs: 50, maxDelayMs: 100}});
		run.stream.start();
		const final = await run.ended(10_000);
		expect(final).toMatchObject({kind: 'failed', reason: expect.stringMatching(/^no connection for \d+ms, giving up \(connect ECONNREFUSED 127\.0\.0\.1:\d+\)$/)});
		expect(run.states.filter((state) => state.kind === 'connecting').length).toBeGreaterThanOrEqual(2);
	});
});

describe('stats', () => {
	it('say when the last record and the last byte came, for a pane that tells how long it has been quiet', async () => {
		server = await startHostileServer({records: 4});
		const run = collect({source: 'automation/nightly-etl', server: server.url});
		expect(run.stream.stats).toMatchObject({lastRecordAt: undefined, lastByteAt: undefined});
		const before = Date.now();
		run.stream.start();
		await run.until(() => run.records.length === 4, 10_000, 'the records');
		const {lastRecordAt, lastByteAt} = run.stream.stats;
		expect(lastRecordAt).toBeGreaterThanOrEqual(before);
		expect(lastRecordAt).toBeLessThanOrEqual(Date.now());
		expect(lastByteAt).toBeGreaterThanOrEqual(before);
		run.stream.close();
	});
});
