import {describe, expect, it as test} from 'vitest';
import type {RunsAnswer, RunTasksAnswer} from '../../source/protocol/api.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/* The run list (`GET .../runs`) and a run's tasks (`GET /api/runs/{runId}/tasks`) over HTTP, on both stores. */

async function get<T>(url: string, token?: string): Promise<{status: number; body: T & {error?: {code: string; message: string}}}> {
	const response = await fetch(url, token ? {headers: {authorization: `Bearer ${token}`}} : {});
	return {status: response.status, body: (await response.json()) as T & {error?: {code: string; message: string}}};
}

const at = (level: string, message: string, taskId: string | undefined, second: number) => ({
	level,
	message,
	timestamp: `2026-11-22T10:00:${String(second).padStart(2, '0')}.000Z`,
	...(taskId ? {taskId} : {}),
});

const backends = await storeBackends();

describe.each(backends)('runs and tasks on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('lists an entity\'s runs newest first with counts, in pages chained by next', async () => {
		const server = await current().start();
		const first = await createRun(server.url, undefined, {automationId: 'etl', name: 'nightly'});
		await ingest(server.url, undefined, first, [at('INFO', 'a', undefined, 0), at('WARN', 'b', 'extract', 1), at('ERROR', 'c', 'load', 2), at('FATAL', 'd', 'load', 3)]);
		await finishRun(server.url, undefined, first, 'failed');
		const second = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, second, ['x']);
		const third = await createRun(server.url, undefined, {automationId: 'etl'});
		await createRun(server.url, undefined, {pipelineId: 'etl'});

		const all = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs`);
		expect(all.status).toBe(200);
		expect(all.body.next).toBeNull();
		expect(all.body.runs.map((run) => [run.runId, run.status, run.lines, run.warnings, run.errors])).toEqual([
			[third, 'running', 0, 0, 0],
			[second, 'running', 1, 0, 0],
			[first, 'failed', 4, 1, 2],
		]);
		const done = all.body.runs[2]!;
		expect(done).toMatchObject({automationId: 'etl', name: 'nightly', durationMs: Date.parse(done.finishedAt!) - Date.parse(done.startedAt)});

		const page = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs?limit=2`);
		expect([page.body.runs.map((run) => run.runId), page.body.next]).toEqual([[third, second], second]);
		const rest = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs?limit=2&before=${page.body.next}`);
		expect([rest.body.runs.map((run) => run.runId), rest.body.next]).toEqual([[first], null]);
		const pipeline = await get<RunsAnswer>(`${server.url}/api/pipeline/etl/runs`);
		expect(pipeline.body.runs.map((run) => run.pipelineId)).toEqual(['etl']);
	});

	it('refuses bad parameters with a 400 naming them, and an unknown entity or run with a 404', async () => {
		const server = await current().start();
		await createRun(server.url, undefined, {automationId: 'etl'});
		const refusals: Array<[string, number, RegExp]> = [
			['/api/automations/etl/runs?limit=0', 400, /^limit must be from 1 to 1000/],
			['/api/automations/etl/runs?limit=1001', 400, /^limit "1001" must be a whole number from 0 to 1000/],
			['/api/automations/etl/runs?before=r%2F1', 400, /^before "r\/1" is not a run id/],
			['/api/automations/nope/runs', 404, /^no automation "nope"/],
			['/api/pipeline/etl/runs', 404, /^no pipeline "etl"/],
			['/api/runs/r-99/tasks', 404, /^no run "r-99"/],
		];
		for (const [path, status, message] of refusals) {
			const answer = await get<unknown>(`${server.url}${path}`);
			expect([path, answer.status, answer.body.error?.message]).toEqual([path, status, expect.stringMatching(message)]);
		}

		const past = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs?before=r-1`);
		expect([past.status, past.body]).toEqual([200, {runs: [], next: null}]);
	});

	it('summarizes a run\'s tasks with derived states and the first ERROR line of each', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const stored = await ingest(server.url, undefined, runId, [
			at('INFO', 'start', undefined, 0),
			at('INFO', 'extracting', 'extract', 1),
			at('WARN', 'slow', 'extract', 4),
			at('INFO', 'loading', 'load', 5),
			at('ERROR', 'load failed: timeout', 'load', 7),
			at('ERROR', 'again', 'load', 8),
		]);
		const running = await get<RunTasksAnswer>(`${server.url}/api/runs/${runId}/tasks`);
		expect(running.body.tasks.map((task) => [task.taskId, task.state])).toEqual([['extract', 'running'], ['load', 'running']]);
		await finishRun(server.url, undefined, runId, 'failed');

		const {status, body} = await get<RunTasksAnswer>(`${server.url}/api/runs/${runId}/tasks`);
		expect(status).toBe(200);
		expect(body.run).toMatchObject({runId, status: 'failed', lines: 6, warnings: 1, errors: 2});
		const firstError = String(Number(stored.firstId) + 4);
		expect(body.tasks).toEqual([
			{taskId: 'extract', state: 'succeeded', reported: false, firstAt: '2026-11-22T10:00:01.000Z', lastAt: '2026-11-22T10:00:04.000Z', durationMs: 3000, lines: 2, warnings: 1, errors: 0, firstError: null},
			{taskId: 'load', state: 'failed', reported: false, firstAt: '2026-11-22T10:00:05.000Z', lastAt: '2026-11-22T10:00:08.000Z', durationMs: 3000, lines: 3, warnings: 0, errors: 2, firstError: {id: firstError, message: 'load failed: timeout'}},
		]);

		const pipelineRun = await createRun(server.url, undefined, {pipelineId: 'report'});
		await ingest(server.url, undefined, pipelineRun, [{level: 'INFO', message: 'a', artifactId: 'csv'}, {level: 'INFO', message: 'b', artifactId: 'pdf'}]);
		await finishRun(server.url, undefined, pipelineRun, 'failed');
		const artifacts = await get<RunTasksAnswer>(`${server.url}/api/runs/${pipelineRun}/tasks`);
		// No artifact logged an ERROR: the one logging when the run failed is the one that failed.
		expect(artifacts.body.tasks.map((task) => [task.artifactId, task.state])).toEqual([['csv', 'succeeded'], ['pdf', 'failed']]);
	});

	it('with grep counts each run\'s matching lines, so a list says since when an error appears', async () => {
		const server = await current().start();
		const runs: string[] = [];
		for (const messages of [['fine'], ['disk full', 'Disk full again', 'ok'], ['ok'], ['disk full']]) {
			runs.push((await ingest(server.url, undefined, {automationId: 'etl'}, messages)).runId);
		}

		const {status, body} = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs?grep=${encodeURIComponent('disk full')}`);
		expect(status).toBe(200);
		expect(body.runs.map((run) => [run.runId, run.matches])).toEqual([
			[runs[3], {count: 1, complete: true}],
			[runs[2], {count: 0, complete: true}],
			[runs[1], {count: 2, complete: true}],
			[runs[0], {count: 0, complete: true}],
		]);
		const bad = await get<RunsAnswer>(`${server.url}/api/automations/etl/runs?grep=${encodeURIComponent('(a)\\1')}`);
		expect([bad.status, bad.body.error?.message]).toEqual([400, expect.stringMatching(/^grep .*backreference/)]);
	});

	it('needs the read scope, as history does', async () => {
		const tokens = [{token: 'reader', permissions: ['read' as const]}, {token: 'writer', permissions: ['write' as const]}];
		const server = await current().start({tokens});
		const runId = await createRun(server.url, 'writer', {automationId: 'etl'});
		for (const path of ['/api/automations/etl/runs', `/api/runs/${runId}/tasks`]) {
			expect([path, (await get(`${server.url}${path}`)).status]).toEqual([path, 401]);
			expect([path, (await get(`${server.url}${path}`, 'writer')).status]).toEqual([path, 403]);
			expect([path, (await get(`${server.url}${path}`, 'reader')).status]).toEqual([path, 200]);
		}
	});
});
