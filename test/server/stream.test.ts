import {describe, expect, it as test} from 'vitest';
import type {StatusEvent} from '../../source/protocol/events.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

const statuses = (reader: SseReader) =>
	reader.events.filter((event): event is StatusEvent => event.type === 'status').map((event) => event.status);

const backends = await storeBackends();

describe.each(backends)('SSE streams on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('sends the SSE headers, retry, connected with the epoch, and heartbeats at the asked interval', async () => {
		const fixture = current();
		const server = await fixture.start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['one']);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&heartbeat=1`));
		expect(reader.status).toBe(200);
		expect(reader.headers['content-type']).toBe('text/event-stream; charset=utf-8');
		expect(reader.headers['cache-control']).toBe('no-cache, no-transform');
		expect(reader.headers['x-accel-buffering']).toBe('no');
		await reader.waitFor(() => reader.frames.some((frame) => frame.comment?.startsWith('keepalive')), 'a heartbeat');
		expect(reader.frames[0]!.retry).toBe(2000);
		expect(reader.events[0]).toMatchObject({type: 'status', status: 'connected', stream: 'automation/etl', runId: 'r-1', epoch: server.epoch, heartbeatMs: 1000});
		expect(reader.logs.map((record) => record.message)).toEqual(['one']);
	});

	it('follows the entity to its next run, says run-started and completed, and keeps going', async () => {
		const fixture = current();
		const server = await fixture.start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, first, ['a1', 'a2']);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true`));
		await reader.waitFor(() => reader.logs.length === 2, 'the current run');
		await finishRun(server.url, undefined, first, 'failed');
		const second = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, second, ['b1']);
		await createRun(server.url, undefined, {automationId: 'other'});
		await reader.waitFor(() => reader.logs.length === 3, 'the next run');
		expect(statuses(reader)).toEqual(['connected', 'completed', 'run-started']);
		expect(reader.events[3]).toMatchObject({status: 'completed', runId: first, result: 'failed'});
		expect(reader.events.find((event) => event.type === 'status' && event.status === 'run-started')).toMatchObject({runId: second});
		expect(reader.logs.map((record) => [record.runId, record.seq])).toEqual([[first, 1], [first, 2], [second, 1]]);
		expect(reader.ended).toBe(false);
	});

	it('with follow=false ends after the run completes, and a resume after its last record only says completed', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {pipelineId: 'report'});
		const {lastId} = await ingest(server.url, undefined, runId, [{level: 'INFO', message: 'p1', artifactId: 'csv'}]);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/pipeline/report/logs?stream=true&follow=false`));
		await reader.waitFor(() => reader.logs.length === 1, 'the record');
		await finishRun(server.url, undefined, runId);
		await reader.waitFor(() => reader.ended, 'the stream to end');
		expect(statuses(reader)).toEqual(['connected', 'completed']);

		const again = fixture.track(await SseReader.open(`${server.url}/api/artifacts/csv/logs?stream=true&follow=false&run=${runId}`, {lastEventId: lastId}));
		await again.waitFor(() => again.ended, 'the resumed stream to end');
		expect(again.logs).toEqual([]);
		expect(again.events.at(-1)).toMatchObject({status: 'completed', runId, result: 'succeeded'});
	});

	it('resumes across a run boundary: the rest of the old run, completed, then the new run (or the end with follow=false)', async () => {
		const fixture = current();
		const server = await fixture.start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		const {firstId} = await ingest(server.url, undefined, first, ['a1', 'a2', 'a3']);
		await finishRun(server.url, undefined, first);
		const second = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, second, ['b1']);
		const stream = `${server.url}/api/automations/etl/logs?stream=true`;
		const following = fixture.track(await SseReader.open(stream, {lastEventId: firstId}));
		const once = fixture.track(await SseReader.open(`${stream}&follow=false`, {lastEventId: firstId}));
		await following.waitFor(() => following.logs.length === 3, 'both runs');
		await once.waitFor(() => once.ended, 'the follow=false stream to end');
		expect(following.events.map((event) => (event.type === 'log' ? event.data.message : `${event.type === 'status' ? event.status : ''} ${'runId' in event ? event.runId : ''}`))).toEqual([
			`connected ${first}`,
			'a2',
			'a3',
			`completed ${first}`,
			`run-started ${second}`,
			'b1',
		]);
		expect(once.logs.map((record) => record.message)).toEqual(['a2', 'a3']);
		expect(statuses(once)).toEqual(['connected', 'completed']);
	});

	it('with follow=false on a still running run skips pages of a newer run without stalling', async () => {
		const fixture = current();
		const server = await fixture.start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		const {lastId} = await ingest(server.url, undefined, first, ['old']);
		// A concurrent newer run fills more than one replay page.
		await ingest(server.url, undefined, {automationId: 'etl'}, Array.from({length: 1200}, (_, i) => `new ${i}`));
		const reader = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&follow=false`, {lastEventId: lastId}));
		await ingest(server.url, undefined, first, ['old again']);
		await reader.waitFor(() => reader.logs.length === 1, 'the line of its own run');
		expect(reader.logs.map((record) => record.message)).toEqual(['old again']);
		expect(reader.events[0]).toMatchObject({status: 'connected', runId: first});
	});

	it('treats a resume point this store never gave (another epoch) as a fresh connect', async () => {
		const fixture = current();
		const server = await fixture.start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['one', 'two']);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true`, {lastEventId: '99999'}));
		await reader.waitFor(() => reader.logs.length === 2, 'the current run');
		await ingest(server.url, undefined, 'r-1', ['three']);
		await reader.waitFor(() => reader.logs.length === 3, 'the live line');
		expect(reader.logs.map((record) => record.message)).toEqual(['one', 'two', 'three']);
	});

	it('applies the level floor, initial=n and initial=0, live and in history', async () => {
		const fixture = current();
		const server = await fixture.start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const levels = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'INFO', 'WARN'];
		await ingest(server.url, undefined, runId, levels.map((level, i) => ({level, message: `m${i}`})));
		const warn = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&level=warn`));
		const last2 = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&initial=2`));
		const none = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&initial=0`));
		await ingest(server.url, undefined, runId, [{level: 'TRACE', message: 'live trace'}, {level: 'FATAL', message: 'live fatal'}]);
		for (const reader of [warn, last2, none]) {await reader.waitFor(() => reader.logs.at(-1)?.message === 'live fatal', 'the live record');}
		expect(warn.logs.map((record) => record.message)).toEqual(['m2', 'm3', 'm5', 'live fatal']);
		expect(last2.logs.map((record) => record.message)).toEqual(['m4', 'm5', 'live trace', 'live fatal']);
		expect(none.logs.map((record) => record.message)).toEqual(['live trace', 'live fatal']);
	});

	it('follows a task across runs of its automation, and the all stream carries records without run events', async () => {
		const fixture = current();
		const server = await fixture.start();
		const first = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, first, [{level: 'INFO', message: 'e1', taskId: 'extract'}, {level: 'INFO', message: 'l1', taskId: 'load'}]);
		const task = fixture.track(await SseReader.open(`${server.url}/api/automations/tasks/extract/logs?stream=true`));
		const all = fixture.track(await SseReader.open(`${server.url}/api/logs/stream`));
		await task.waitFor(() => task.logs.length === 1, 'the first run');
		await finishRun(server.url, undefined, first);
		const second = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, second, [{level: 'INFO', message: 'l2', taskId: 'load'}, {level: 'INFO', message: 'e2', taskId: 'extract'}]);
		await task.waitFor(() => task.logs.length === 2, 'the second run');
		await all.waitFor(() => all.logs.length === 4, 'every record');
		expect(task.logs.map((record) => record.message)).toEqual(['e1', 'e2']);
		expect(statuses(task)).toEqual(['connected', 'completed', 'run-started']);
		expect(statuses(all)).toEqual(['connected']);
		expect(all.logs.map((record) => record.message)).toEqual(['e1', 'l1', 'l2', 'e2']);
	});

	it('with from= starts at that time over the whole entity', async () => {
		const fixture = current();
		const server = await fixture.start();
		const recent = new Date(Date.now() - 60_000).toISOString();
		await ingest(server.url, undefined, {automationId: 'etl'}, [{level: 'INFO', message: 'ancient', timestamp: '2020-01-01T00:00:00Z'}, {level: 'INFO', message: 'recent', timestamp: recent}]);
		await ingest(server.url, undefined, {automationId: 'etl'}, ['now']);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&from=1h`));
		const absolute = fixture.track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&from=2019-12-31T00:00:00Z`));
		await reader.waitFor(() => reader.logs.length === 2, 'the records since an hour ago');
		await absolute.waitFor(() => absolute.logs.length === 3, 'every record');
		expect(reader.logs.map((record) => record.message)).toEqual(['recent', 'now']);
	});

	it('answers 400 naming the parameter, and 404 for an unknown entity or run', async () => {
		const fixture = current();
		const server = await fixture.start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['x']);
		const cases: Array<[string, Record<string, string>, RegExp]> = [
			['since=abc', {}, /^since "abc"/],
			['heartbeat=0', {}, /^heartbeat "0"/],
			['heartbeat=61', {}, /^heartbeat "61"/],
			['level=loud', {}, /^level "loud"/],
			['follow=maybe', {}, /^follow "maybe"/],
			['initial=-1', {}, /^initial "-1"/],
			['from=yesterday', {}, /^from "yesterday"/],
			['run=a/b', {}, /^run "a\/b"/],
			['', {'last-event-id': 'x1'}, /^Last-Event-ID "x1"/],
		];
		for (const [query, headers, message] of cases) {
			const response = await fetch(`${server.url}/api/automations/etl/logs?stream=true&${query}`, {headers});
			expect(response.status, query).toBe(400);
			const body = (await response.json()) as {error: {code: string; message: string}};
			expect(body.error.code).toBe('bad-request');
			expect(body.error.message, query).toMatch(message);
		}

		for (const path of ['/api/automations/nope/logs?stream=true', '/api/automations/tasks/nope/logs', '/api/automations/etl/logs?run=r-99', '/api/nothing']) {
			const response = await fetch(`${server.url}${path}`);
			expect(response.status, path).toBe(404);
			expect(((await response.json()) as {error: {code: string}}).error.code).toBe('not-found');
		}
	});

	it('on close sends shutdown to open streams and ends them', async () => {
		const fixture = current();
		const server = await fixture.start();
		await ingest(server.url, undefined, {automationId: 'etl'}, ['x']);
		const reader = fixture.track(await SseReader.open(`${server.url}/api/logs/stream`));
		await reader.waitFor(() => reader.logs.length === 1, 'the record');
		await server.close();
		await reader.waitFor(() => reader.ended, 'the stream to end');
		expect(statuses(reader).at(-1)).toBe('shutdown');
	});
});
