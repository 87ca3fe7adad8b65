import {afterEach, describe, expect, it} from 'vitest';
import type {LogRecord} from '../../source/protocol/record.js';
import {collect} from './collect.js';
import {startWsLogServer, type Line, type WsLogServer} from './ws-log-server.js';

/*
 * Issue 19's promise over a real WebSocket server with no ids: every line of a job once and in order,
 * across cuts every few hundred frames (mid-timestamp), with the shipped reconnect policy, in the Stratal
 * shape (live only, history by offset) and the forwarder shape (`since=` replay, `GET /logs`), a job that
 * started before the client (its start from history) and a history that overlaps the live stream.
 */

let server: WsLogServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

const asLine = (record: LogRecord) => `${record.timestamp} ${record.message}`;
const expected = (lines: Line[]) => lines.map((line) => `${line.timestamp} ${line.message}`);

/** The first index where two lists differ, for a message that says where it went wrong. */
function firstDifference(got: string[], want: string[]): string {
	const index = want.findIndex((line, i) => got[i] !== line);
	return index < 0 ? `${got.length - want.length} extra` : `at ${index}: got ${got[index]}, want ${want[index]}`;
}

describe.each(['stratal', 'forwarder'] as const)('a WebSocket job in the %s shape', (shape) => {
	it('shows every line once and in order across cuts every 293 frames', async () => {
		server = await startWsLogServer({shape, before: 700, total: 3000, perTick: 1, cutEvery: 293});
		// The shipped policy (500 ms to 30 s with full jitter, reset by a delivering connection): no test delays.
		const stream = collect({source: server.url, reconnect: {}});
		stream.stream.start();
		server.start();
		const want = expected(server.lines);
		// A line lost never comes: past the deadline the comparison below says which.
		await stream.until(() => stream.records.length >= 3000 && server!.lines.length >= 3000, 30_000, 'all 3000 lines').catch(() => {});
		const got = stream.records.map(asLine);
		expect(got.length, `${firstDifference(got, expected(server.lines))}; notices ${JSON.stringify(stream.notices)}`).toBe(3000);
		expect(got).toEqual(expected(server.lines));
		expect(want.length).toBe(700);
		// It was cut, and resumed, several times.
		expect(server.connections.length).toBeGreaterThan(4);
		if (shape === 'forwarder') {
			// Every connection after the first asked for what came since the last line shown.
			expect(server.connections.slice(1).every((query) => query.get('since') !== null)).toBe(true);
		}

		expect(stream.stream.stats.duplicatesDropped).toBeGreaterThan(0);
		stream.stream.close();
	}, 90_000);
});

describe('a WebSocket source with no history and no since', () => {
	it('says the gap with its times, never silently', async () => {
		server = await startWsLogServer({shape: 'forwarder', total: 200, perTick: 5, cutEvery: 50});
		// A dialect other than generic knows no `GET /logs`; `none` sends no `since`: nothing can fill a cut.
		const real = collect({source: server.url, resumeParam: 'none', dialect: 'stratal'});
		real.stream.start();
		server.start();
		await real.until(() => real.notices.some((notice) => notice.message.startsWith('gap: ')), 20_000, 'a gap notice');
		const gap = real.notices.find((notice) => notice.message.startsWith('gap: '))!;
		expect(gap.message).toMatch(/^gap: lines may be missing between \d\d:\d\d:\d\d and \d\d:\d\d:\d\d$/);
		expect(gap.kind).toBe('lines-missing');
		real.stream.close();
	});
});
