import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {historyReader, type HistoryPage, type HistoryReader} from '../../source/client/history.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';

const messages = (page: HistoryPage) => page.records.map((record) => record.message);

describe('historyReader over a real server', () => {
	const fixture = useServerFixture();

	it('pages an unpinned entity back across its runs to the first line, and forward again', async () => {
		const server = await fixture().start();
		const {runId: first} = await ingest(server.url, undefined, {automationId: 'etl'}, ['a1', 'a2', 'a3']);
		await finishRun(server.url, undefined, first);
		await ingest(server.url, undefined, {automationId: 'other'}, ['elsewhere']);
		await ingest(server.url, undefined, {automationId: 'etl'}, ['b1', 'b2', 'b3', 'b4']);
		const reader = historyReader({source: 'automation/etl', server: server.url})!;

		const newest = await reader.before(undefined, 3);
		expect([messages(newest), newest.more]).toEqual([['b2', 'b3', 'b4'], true]);
		const earlier = await reader.before(newest.records[0]!.id, 3);
		expect([messages(earlier), earlier.more]).toEqual([['a2', 'a3', 'b1'], true]);
		const start = await reader.before(earlier.records[0]!.id, 3);
		expect([messages(start), start.more]).toEqual([['a1'], false]);
		expect(start.records[0]).toMatchObject({id: '1', seq: 1, runId: first, automationId: 'etl', level: 'INFO'});

		const forward = await reader.after(start.records[0]!.id!, 4);
		expect([messages(forward), forward.more]).toEqual([['a2', 'a3', 'b1', 'b2'], true]);
		const end = await reader.after(forward.records.at(-1)!.id!, 4);
		expect([messages(end), end.more]).toEqual([['b3', 'b4'], false]);
	});

	it('keeps to a pinned run, a task, and the level floor it was given', async () => {
		const server = await fixture().start();
		const {runId: first} = await ingest(server.url, undefined, {automationId: 'etl'}, [
			{level: 'INFO', message: 'x1', taskId: 'extract'},
			{level: 'ERROR', message: 'y1', taskId: 'load'},
		]);
		await ingest(server.url, undefined, {automationId: 'etl'}, [{level: 'ERROR', message: 'x2', taskId: 'extract'}]);

		const pinned = historyReader({source: `automation/etl?run=${first}`, server: server.url})!;
		expect(messages(await pinned.before(undefined, 10))).toEqual(['x1', 'y1']);
		const task = historyReader({source: 'task/extract', server: server.url})!;
		expect(messages(await task.before(undefined, 10))).toEqual(['x1', 'x2']);
		const errors = historyReader({source: 'all', server: server.url, level: 'ERROR'})!;
		expect(messages(await errors.before(undefined, 10))).toEqual(['y1', 'x2']);
	});

	it('narrows a read by a pattern and a level floor per call, counts the matches, and reads one run when asked', async () => {
		const server = await fixture().start();
		const {runId: first} = await ingest(server.url, undefined, {automationId: 'etl'}, ['Timeout 1', 'ok', {level: 'ERROR', message: 'timeout 2'}]);
		await finishRun(server.url, undefined, first);
		await ingest(server.url, undefined, {automationId: 'etl'}, ['timeout 3', 'ok', {level: 'WARN', message: 'timeout 4'}, 'timeout 5']);
		const reader = historyReader({source: 'automation/etl', server: server.url})!;

		const last = await reader.before(undefined, 2, {grep: 'timeout', count: true});
		expect([messages(last), last.more, last.count]).toEqual([['timeout 4', 'timeout 5'], true, {matches: 5, complete: true}]);
		const earlier = await reader.before(last.next, 10, {grep: 'timeout'});
		expect([messages(earlier), earlier.more, earlier.count]).toEqual([['Timeout 1', 'timeout 2', 'timeout 3'], false, undefined]);
		const warnings = await reader.after('0', 10, {grep: 'timeout', level: 'WARN'});
		expect(messages(warnings)).toEqual(['timeout 2', 'timeout 4']);
		// The capital makes it case-sensitive, as in the viewer; an empty pattern is no pattern.
		expect(messages(await reader.after('0', 10, {grep: 'Timeout'}))).toEqual(['Timeout 1']);
		expect(messages(await reader.after('0', 3, {grep: ''}))).toEqual(['Timeout 1', 'ok', 'timeout 2']);

		const inFirst = await reader.after('0', 10, {grep: 'timeout', run: first, count: true});
		expect([messages(inFirst), inFirst.count]).toEqual([['Timeout 1', 'timeout 2'], {matches: 2, complete: true}]);
		const current = historyReader({source: 'automation/etl', server: server.url, runs: 'current'})!;
		expect(messages(await current.after('0', 10, {grep: 'timeout'}))).toEqual(['timeout 3', 'timeout 4', 'timeout 5']);
		// The reader's own floor stays: a call's floor only narrows it.
		const errors = historyReader({source: 'automation/etl', server: server.url, level: 'ERROR'})!;
		expect(messages(await errors.after('0', 10, {level: 'INFO'}))).toEqual(['timeout 2']);
		await expect(reader.after('0', 10, {grep: 'a(?=b)'})).rejects.toThrow(/^history answered HTTP 400: .*lookahead/);
	});

	it('reads the first page of one run of an entity in one read, narrowing the scope to it', async () => {
		const server = await fixture().start();
		const {runId: first} = await ingest(server.url, undefined, {automationId: 'etl'}, ['a1', 'a2']);
		await finishRun(server.url, undefined, first);
		const {runId: second} = await ingest(server.url, undefined, {automationId: 'etl'}, [{level: 'INFO', message: 'b1', taskId: 'load'}, 'b2', 'b3']);
		const reader = historyReader({source: 'automation/etl', server: server.url})!;
		const page = await reader.firstOfRun!(second, 2);
		expect([messages(page), page.more]).toEqual([['b1', 'b2'], true]);
		expect(messages(await historyReader({source: 'task/load', server: server.url})!.firstOfRun!(second, 5))).toEqual(['b1']);
		// `all` has no run to narrow to: its first page is the scope's.
		expect(messages(await historyReader({source: 'all', server: server.url})!.firstOfRun!(second, 1))).toEqual(['a1']);
	});

	it('sends the token in a header, refreshes it once on a 401, and says why a page was refused', async () => {
		const server = await fixture().start({tokens: [{token: 'sekrit', permissions: ['read', 'write']}]});
		await ingest(server.url, 'sekrit', {automationId: 'etl'}, ['one']);
		await expect(historyReader({source: 'automation/etl', server: server.url})!.before(undefined, 5)).rejects.toThrow(
			/^history answered HTTP 401: /,
		);
		const refreshed = historyReader({source: 'automation/etl', server: server.url, token: 'stale', tokenCommand: 'echo sekrit'})!;
		expect(messages(await refreshed.before(undefined, 5))).toEqual(['one']);
		await expect(historyReader({source: 'automation/nobody', server: server.url, token: 'sekrit'})!.before(undefined, 5)).rejects.toThrow(
			/HTTP 404: no automation "nobody"/,
		);
		await expect(refreshed.after('1', 0)).rejects.toThrow(/1 or more records, not 0/);
		await server.close();
		await expect(refreshed.after('1', 5)).rejects.toThrow(/cannot reach http:\/\/127\.0\.0\.1:\d+ for history/);
	});

	it('is undefined where there is no history to read: URLs, other dialects, sources that cannot be opened', () => {
		expect(historyReader({source: 'http://127.0.0.1:9/api/automations/etl/logs?stream=true'})).toBeUndefined();
		for (const dialect of ['stratal', 'datashop', 'generic'] as const) {
			expect(historyReader({source: 'automation/etl', server: 'http://127.0.0.1:9', dialect})).toBeUndefined();
		}

		expect(historyReader({source: 'automation/etl'})).toBeUndefined();
		expect(historyReader({source: 'nonsense/etl', server: 'http://127.0.0.1:9'})).toBeUndefined();
		expect(historyReader({source: 'automation/etl', server: 'http://127.0.0.1:9', dialect: 'dbtail'})).toBeDefined();
	});
});

describe('historyReader against a server that does not keep the promise', () => {
	const servers: http.Server[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(async (server) => new Promise((resolve) => server.close(resolve))));
	});

	/** A real HTTP server that answers every request with `body`, as an old or broken server would. */
	async function answering(body: unknown): Promise<HistoryReader> {
		const server = http.createServer((_req, res) => {
			res.writeHead(200, {'content-type': 'application/json'});
			res.end(JSON.stringify(body));
		});
		servers.push(server);
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		return historyReader({source: 'automation/etl', server: `http://127.0.0.1:${port}`})!;
	}

	const record = (id: string) => ({id, seq: Number(id), runId: 'r-1', timestamp: '2026-01-01T00:00:00.000Z', level: 'INFO', message: `m${id}`, automationId: 'etl', metadata: {}});

	it('refuses the answer of a server older than order=, which read the wrong end of the range', async () => {
		const reader = await answering({logs: [record('1')], next: null});
		await expect(reader.before('50', 10)).rejects.toThrow(/cannot page history backwards \(its dbtail serve predates order=\): upgrade it/);
	});

	it('keeps only ids inside the asked range, each above the one before, and never more without records', async () => {
		const reader = await answering({logs: [record('3'), record('9'), record('2'), 'junk', record('4'), record('12'), {...record('x'), id: 'x'}], next: '3', order: 'desc'});
		expect(messages(await reader.before('10', 5))).toEqual(['m3', 'm9']);
		expect(await (await answering({logs: [], next: '3', order: 'asc'})).after('1', 5)).toEqual({records: [], more: false});
	});

	it('goes on from next after a search page that ran out of budget empty, but only where next moves on', async () => {
		expect(await (await answering({logs: [], next: '400', order: 'asc', scanned: 200_000})).after('1', 5, {grep: 'x'})).toEqual({records: [], more: true, next: '400'});
		expect(await (await answering({logs: [], next: '400', order: 'desc'})).before('900', 5, {grep: 'x'})).toMatchObject({more: true, next: '400'});
		expect(await (await answering({logs: [], next: '1', order: 'asc'})).after('1', 5, {grep: 'x'})).toMatchObject({more: false, next: undefined});
		expect(await (await answering({logs: [], next: '950', order: 'desc'})).before('900', 5, {grep: 'x'})).toMatchObject({more: false});
		const counted = await (await answering({logs: [record('5')], next: null, order: 'asc', count: {matches: 41, complete: false}})).after('1', 5, {grep: 'm', count: true});
		expect([counted.more, counted.count]).toEqual([false, {matches: 41, complete: false}]);
		expect((await (await answering({logs: [], next: null, order: 'asc', count: {matches: 'many'}})).after('1', 5, {grep: 'x', count: true})).count).toBeUndefined();
	});
});
