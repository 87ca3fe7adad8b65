import {afterEach, describe, expect, it} from 'vitest';
import {sseEvent} from '../../source/protocol/sse.js';
import {dbtailFrame, startHostileServer, type HostileOptions, type HostileServer} from '../helpers/hostile-sse-server.js';
import {collect, sequenceProblem} from './collect.js';

/*
 * The promise users rely on: every logged line once, in order, across whatever the network and the server
 * do. Each case sends a run through a hostile server and checks delivered = sent, nothing twice, no gap.
 */

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function followAll(options: HostileOptions) {
	server = await startHostileServer({complete: 'succeeded', ...options});
	const run = collect({source: 'automation/nightly-etl', server: server.url});
	run.stream.start();
	const final = await run.ended(60_000);
	run.stream.close();
	return {run, final};
}

describe('LogStream against a hostile SSE server', () => {
	it('delivers 10,000 records exactly once, in order, through random mid-frame disconnects, replayed overlap, every line ending, a BOM, comments and retry: changes', async () => {
		const {run, final} = await followAll({
			records: 10_000,
			seed: 7,
			disconnectAfterBytes: [1, 250_000],
			maxWrite: 2048,
			endings: ['\n', '\r\n', '\r'],
			bom: true,
			commentEvery: 5,
			retries: [0, 3, 1],
			overlap: 40,
		});
		expect(sequenceProblem(run.records, 10_000)).toBeUndefined();
		expect(final).toMatchObject({kind: 'completed', result: 'succeeded'});
		expect(server!.requests.length).toBeGreaterThan(5);
		expect(run.stream.stats.reconnects).toBe(server!.requests.length - 1);
		expect(run.stream.stats.duplicatesDropped).toBeGreaterThan(0);
		// Every reconnect resumed from the last delivered id, never from scratch.
		for (const request of server!.requests.slice(1)) {
			expect(request.headers['last-event-id']).toMatch(/^\d+$/);
		}
	});

	it('survives frames split at every byte (one-byte writes) with CR, LF and CRLF endings', async () => {
		const {run} = await followAll({
			records: 300,
			seed: 3,
			maxWrite: 1,
			endings: ['\r\n', '\r', '\n'],
			bom: true,
			commentEvery: 1,
			disconnectAfterBytes: [1, 40_000],
			overlap: 5,
		});
		expect(sequenceProblem(run.records, 300)).toBeUndefined();
	});

	it.each([['\n'], ['\r'], ['\r\n']] as const)('reads the first event right after a BOM (ending %j)', async (ending) => {
		const {run} = await followAll({records: 3, hello: false, bom: true, endings: [ending], maxWrite: 1});
		expect(sequenceProblem(run.records, 3)).toBeUndefined();
	});

	it('keeps multi-line messages as one record and delivers the fields as sent', async () => {
		const {run} = await followAll({records: 205, seed: 11});
		expect(run.records[101]).toEqual(server!.records[101]);
		expect(run.records[101]!.message).toBe('line 102\nsecond line');
		expect(run.records.map((r) => r.level)).toEqual(server!.records.map((r) => r.level));
	});

	it('fills seq gaps from history before going on', async () => {
		const skip = new Set([1, 500, 501, 502, 503, 2000, 2999]);
		const {run} = await followAll({records: 3000, seed: 5, skip});
		expect(sequenceProblem(run.records, 3000)).toBeUndefined();
		expect(run.stream.stats.gapsFilled).toBe(4);
		const ranges = server!.historyRequests.map((request) => new URL(request.url, 'http://x').searchParams);
		expect(ranges.map((p) => [p.get('after'), p.get('before'), p.get('currentRunID')])).toEqual([
			[null, '2', 'r-1'],
			['499', '504', 'r-1'],
			['1999', '2001', 'r-1'],
			['2998', '3000', 'r-1'],
		]);
		expect(run.notices.filter((n) => n.kind === 'gap-filled')).toHaveLength(4);
	});

	it('on an epoch change drops the resume point and what it knew of runs, and shows the run again from its start', async () => {
		server = await startHostileServer({
			complete: 'succeeded',
			records: 2000,
			seed: 9,
			cutAt: (connection) => (connection === 1 ? 120_000 : undefined),
			epoch: (connection) => (connection === 1 ? 'old-epoch' : 'new-epoch'),
		});
		const run = collect({source: 'automation/nightly-etl', server: server.url});
		let shownBefore = -1;
		run.stream.on('notice', (notice) => {
			shownBefore = notice.kind === 'epoch-reset' ? run.records.length : shownBefore;
		});
		run.stream.start();
		await run.ended(60_000);
		run.stream.close();
		// A new store's `r-1` is a new run, whatever the old `r-1` showed: all of it comes, once, in order.
		expect(shownBefore).toBeGreaterThan(0);
		expect(sequenceProblem(run.records.slice(0, shownBefore), shownBefore)).toBeUndefined();
		expect(sequenceProblem(run.records.slice(shownBefore), 2000)).toBeUndefined();
		// Connection 2 resumed with the old id, saw the new epoch; connection 3 reloaded from scratch, at once.
		expect(server.requests[1]!.headers['last-event-id']).toMatch(/^\d+$/);
		expect(server.requests[2]!.headers['last-event-id']).toBeUndefined();
		expect(run.states.filter((state) => state.kind === 'reconnecting')).toHaveLength(1);
		expect(run.notices.map((notice) => notice.message)).not.toContainEqual(expect.stringContaining('no event ids'));
	});

	it('reloads at once on one epoch change, but goes through backoff when epochs keep alternating', async () => {
		// Two servers with different stores behind one address: every connection sees the other epoch.
		server = await startHostileServer({
			records: 50,
			cutAt: (connection) => (connection === 1 ? 2000 : undefined),
			epoch: (connection) => (connection % 2 === 1 ? 'store-a' : 'store-b'),
		});
		const run = collect({source: 'automation/nightly-etl', server: server.url});
		const waits = () => run.states.flatMap((state) => (state.kind === 'reconnecting' ? [`${state.attempt}: ${state.lastError}`] : []));
		run.stream.start();
		await run.until(() => waits().length >= 4, 10_000, 'three delayed reloads');
		run.stream.close();
		// Wait 1 is the cut of connection 1. The epoch change on connection 2 reloaded without one; every
		// later change waited, on a growing backoff.
		expect(waits().slice(1, 4)).toEqual(['2: log store changed again', '3: log store changed again', '4: log store changed again']);
		expect(run.notices.filter((notice) => notice.kind === 'epoch-reset').length).toBeGreaterThanOrEqual(4);
	});

	it('after `truncated` says how many lines were purged and takes the jump as the new start, not a gap', async () => {
		const skip = new Set(Array.from({length: 100}, (_, index) => index + 1));
		const truncated = sseEvent({type: 'status', status: 'truncated', oldestId: '101', purged: 100});
		const {run} = await followAll({records: 300, skip, frame: (record) => (record.seq === 101 ? truncated : '') + dbtailFrame(record)});
		expect(run.records.map((record) => record.seq)).toEqual(Array.from({length: 200}, (_, index) => index + 101));
		expect(run.notices).toContainEqual({kind: 'truncated', message: '100 line(s) before id 101 were purged from history and cannot be shown'});
		expect(server!.historyRequests).toHaveLength(0);
	});

	it('on `shutdown` ends the connection and resumes from the last line after the server\'s retry', async () => {
		const shutdown = sseEvent({type: 'status', status: 'shutdown'});
		const {run} = await followAll({
			records: 100,
			retries: [300],
			// A draining server sends `shutdown` last; whatever followed it on that connection is not trusted.
			frame: (record, connection) =>
				connection === 1 && record.seq >= 50 ? (record.seq === 50 ? shutdown : '') : dbtailFrame(record),
		});
		expect(sequenceProblem(run.records, 100)).toBeUndefined();
		expect(run.states).toContainEqual(expect.objectContaining({kind: 'reconnecting', lastError: 'the server is shutting down'}));
		expect(server!.requests[1]!.headers['last-event-id']).toBe('49');
		expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(290);
	});

	it('on a `slow-consumer` error says so and resumes without losing a line', async () => {
		const cut = sseEvent({type: 'error', error: {code: 'slow-consumer', message: 'queue over 10000 events', recoverable: true}});
		const {run} = await followAll({
			records: 100,
			cutAt: (connection) => (connection === 1 ? 5000 : undefined),
			frame: (record, connection) => (connection === 1 && record.seq === 10 ? cut : '') + dbtailFrame(record),
		});
		expect(sequenceProblem(run.records, 100)).toBeUndefined();
		expect(run.notices.map((notice) => notice.kind)).toContain('slow-consumer');
	});
});
