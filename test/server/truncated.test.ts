import path from 'node:path';
import Database from 'better-sqlite3';
import {describe, expect, it as test} from 'vitest';
import type {WireEvent} from '../../source/protocol/events.js';
import {SqliteStore as LogStore} from '../../source/server/store/sqlite/sqlite-store.js';
import {finishRun, ingest, type IngestLine} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

/*
 * `truncated` tells a stream that retention purged lines OF ITS OWN scope: with `--retain`, other streams'
 * purged lines must not make it claim a loss, and a scope's loss keeps being reported with its own oldestId.
 */

const lines = (count: number, taskId?: string): IngestLine[] =>
	Array.from({length: count}, (_, i) => (taskId ? {level: 'INFO', message: `${taskId} ${i}`, taskId} : `line ${i}`));

const truncatedOf = (events: WireEvent[]) => events.filter((event) => event.type === 'status' && event.status === 'truncated');

const backends = await storeBackends();

describe.each(backends)('truncated status with --retain on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	/** Logs a batch to a new run of automation `id` and finishes it, so a follow=false stream of it ends. */
	async function finishedRun(url: string, id: string, batch: IngestLine[]): Promise<void> {
		await finishRun(url, undefined, (await ingest(url, undefined, {automationId: id}, batch)).runId);
	}

	/** Automation `a` logs `before` lines, `b` floods 30 (purging them), then `a` logs one more and finishes. */
	async function floodedBetween(url: string, before: number): Promise<void> {
		const a = (await ingest(url, undefined, {automationId: 'a'}, lines(before))).runId;
		await ingest(url, undefined, {automationId: 'b'}, lines(30));
		await ingest(url, undefined, a, ['last']);
		await finishRun(url, undefined, a);
	}

	/** The whole replay of a stream (follow=false ends it once the run is finished), with every status it got. */
	async function replay(url: string, lastEventId?: string): Promise<SseReader> {
		const reader = current().track(await SseReader.open(url, lastEventId === undefined ? {} : {lastEventId}));
		await reader.waitFor(() => reader.ended, 'the replay to end');
		return reader;
	}

	it('is not sent on resume when only other streams lost lines', async () => {
		const server = await current().start({retain: 10});
		await floodedBetween(server.url, 2);

		const reader = await replay(`${server.url}/api/automations/a/logs?stream=true&follow=false`, '2');
		expect(truncatedOf(reader.events)).toEqual([]);
		expect(reader.logs.map((record) => record.id)).toEqual(['33']);
	});

	it('is sent on resume when the stream lost lines past its resume point, naming its own oldest id', async () => {
		const server = await current().start({retain: 10});
		await floodedBetween(server.url, 5);

		// The resume point falls inside what `a` lost: how many of them came after it is not known exactly.
		const inside = await replay(`${server.url}/api/automations/a/logs?stream=true&follow=false`, '3');
		expect(truncatedOf(inside.events)).toEqual([{type: 'status', status: 'truncated', oldestId: '36'}]);
		expect(inside.logs.map((record) => record.id)).toEqual(['36']);

		// Before all of them: every one of its purged lines counts.
		const before = await replay(`${server.url}/api/automations/a/logs?stream=true&follow=false&since=0`);
		expect(truncatedOf(before.events)).toEqual([{type: 'status', status: 'truncated', oldestId: '36', purged: 5}]);
	});

	it('is not sent for a whole run whose task starts past seq 1 when that task lost nothing', async () => {
		const server = await current().start({retain: 10});
		await finishedRun(server.url, 'flood', lines(30));
		await finishedRun(server.url, 'a', [...lines(1, 'x'), ...lines(1, 'y')]);

		const reader = await replay(`${server.url}/api/automations/tasks/y/logs?stream=true&follow=false`);
		expect(truncatedOf(reader.events)).toEqual([]);
		expect(reader.logs.map((record) => [record.seq, record.message])).toEqual([[2, 'y 0']]);
	});

	it('is sent for a whole run whose task lost its beginning, with the count and its next id', async () => {
		const server = await current().start({retain: 10});
		const run = (await ingest(server.url, undefined, {automationId: 'a'}, lines(5, 'y'))).runId;
		await ingest(server.url, undefined, run, lines(25, 'x'));
		await finishRun(server.url, undefined, run);

		const reader = await replay(`${server.url}/api/automations/tasks/y/logs?stream=true&follow=false`);
		expect(truncatedOf(reader.events)).toEqual([{type: 'status', status: 'truncated', oldestId: '31', purged: 5}]);
		expect(reader.logs).toEqual([]);
	});
});

describe('truncated status with --retain, on an SQLite file from before per-scope tracking', () => {
	const current = useServerFixture();
	const it = test;

	it('keeps reporting purges made before per-scope tracking existed, for the runs that existed then', async () => {
		const file = path.join(current().dir, 'old.db');
		const store = new LogStore(file);
		const old = (await store.createRun('automation', 'a', undefined)).value;
		await store.appendLogs(old.runId, [{level: 'INFO', message: 'gone', timestamp: '2026-11-22T10:00:00.000Z'}]);
		await store.prune(0);
		await store.close();
		// A file from before purged_scopes: it has the purge point but no per-scope tally.
		const raw = new Database(file);
		raw.exec('DROP TABLE purged_scopes');
		raw.close();

		const reopened = new LogStore(file);
		const fresh = (await reopened.createRun('automation', 'a', undefined)).value;
		expect(await reopened.purgedAfter({kind: 'automation', id: 'a'}, 0)).toEqual({});
		expect(await reopened.purgedAfter({kind: 'automation', id: 'a', runId: old.runId}, 0)).toEqual({});
		expect(await reopened.purgedAfter({kind: 'automation', id: 'a', runId: fresh.runId}, 0)).toBeUndefined();
		expect(await reopened.purgedAfter({kind: 'automation', id: 'a'}, 1)).toBeUndefined();
		await reopened.close();
	});
});
