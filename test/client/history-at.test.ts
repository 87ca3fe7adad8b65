import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {historyReader, type HistoryPage} from '../../source/client/history.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';

/* HistoryReader.at: the first records of a pane's scope at or after a time (`T`), over a real server. */

const messages = (page: HistoryPage) => page.records.map((record) => record.message);
const BASE = Date.parse('2026-11-20T14:00:00.000Z');
const at = (minutes: number) => new Date(BASE + minutes * 60_000).toISOString();
const line = (message: string, minutes: number) => ({level: 'INFO', message, timestamp: at(minutes)});

describe('HistoryReader.at over a real server', () => {
	const fixture = useServerFixture();

	it('reads the first records at or after a time across the runs of an entity, or in one run, and pages on from there', async () => {
		const server = await fixture().start();
		const {runId: first} = await ingest(server.url, undefined, {automationId: 'etl'}, [line('a1', 1), line('a2', 2), line('a3', 3)]);
		await finishRun(server.url, undefined, first);
		const {runId: second} = await ingest(server.url, undefined, {automationId: 'etl'}, [line('b1', 4), line('b2', 5), line('b3', 6)]);
		const reader = historyReader({source: 'automation/etl', server: server.url})!;

		const page = await reader.at!(at(2.5), 2);
		expect([messages(page), page.more]).toEqual([['a3', 'b1'], true]);
		const on = await reader.after(page.next!, 10);
		expect(messages(on)).toEqual(['b2', 'b3']);
		// A time with an offset is read as the instant it names; `query.run` keeps to that run.
		expect(messages(await reader.at!('2026-11-20T16:02:30+02:00', 10, {run: second}))).toEqual(['b1', 'b2', 'b3']);
		expect(messages(await reader.at!(at(2.5), 10, {run: first}))).toEqual(['a3']);
		const none = await reader.at!(at(7), 10);
		expect([messages(none), none.more]).toEqual([[], false]);
		await expect(reader.at!('not a time', 1)).rejects.toThrow('"not a time" is not an ISO time');
	});
});

describe('HistoryReader.at against a server that predates from=', () => {
	let server: http.Server | undefined;
	afterEach(async () => {
		await new Promise((resolve) => server?.close(resolve));
	});

	it('says the server cannot read from a time, rather than landing on its first records', async () => {
		// An older dbtail serve ignores `from=` and answers the scope's first page.
		server = http.createServer((_request, response) => {
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({logs: [{id: '1', seq: 1, runId: 'r-1', automationId: 'etl', level: 'INFO', message: 'first', timestamp: at(0)}], next: null, order: 'asc'}));
		});
		await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		const reader = historyReader({source: 'automation/etl', server: url})!;
		await expect(reader.at!(at(5), 10)).rejects.toThrow(`${url} cannot read history from a time (its dbtail serve predates from=): upgrade it`);
	});
});
