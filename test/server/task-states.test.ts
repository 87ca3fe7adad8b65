import http from 'node:http';
import {describe, expect, it as test} from 'vitest';
import type {Catalog, RunTasksAnswer, TaskSummary} from '../../source/protocol/api.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {storeBackends, useServerFixture} from './server-fixture.js';

/*
 * Producers report a task's state (`PUT /api/runs/{runId}/tasks/{taskId}`, `/artifacts/{artifactId}`), and
 * the run's tasks answer says which states were reported and which derived: over HTTP, on both stores.
 */

type Answer = {status: number; headers: http.IncomingHttpHeaders; body: Record<string, unknown> & {error?: {code: string; message: string}}};

/** A raw request (node:http, so any header goes out as written, Origin included). */
async function request(url: string, method: string, body: string | undefined, headers: Record<string, string> = {}): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const sent = http.request(url, {method, headers: {...(body === undefined ? {} : {'content-type': 'application/json'}), ...headers}}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => {
				resolve({status: response.statusCode!, headers: response.headers, body: text ? (JSON.parse(text) as Answer['body']) : {}});
			});
		});
		sent.on('error', reject);
		sent.end(body);
	});
}

const put = async (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
	request(`${base}${path}`, 'PUT', typeof body === 'string' ? body : JSON.stringify(body), headers);

async function tasksOf(base: string, runId: string): Promise<TaskSummary[]> {
	const answer = await request(`${base}/api/runs/${runId}/tasks`, 'GET', undefined);
	expect(answer.status).toBe(200);
	return (answer.body as unknown as RunTasksAnswer).tasks;
}

const at = (second: number) => `2026-11-22T10:00:${String(second).padStart(2, '0')}.000Z`;

const backends = await storeBackends();

describe.each(backends)('task states reported by producers on $name', (backend) => {
	const current = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('lists a task reported running before it logged, keeps reported states plainly and derives the others', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, runId, [{level: 'INFO', message: 'plan', taskId: 'extract', timestamp: at(0)}]);
		const started = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'running', at: at(2)});
		expect([started.status, started.body]).toEqual([200, {taskId: 'load', state: 'running', startedAt: at(2)}]);
		// `load` has not logged: it is there with no lines, its reported time as its first and last; `extract` is derived.
		const before = await tasksOf(server.url, runId);
		expect(before.map((task) => [task.taskId, task.state, task.reported, task.lines, task.firstAt, task.lastAt, task.startedAt])).toEqual([
			['extract', 'running', false, 1, at(0), at(0), undefined],
			['load', 'running', true, 0, at(2), at(2), at(2)],
		]);
		// A reported task that runs is timed to the moment of the answer.
		expect(before[1]!.durationMs).toBeGreaterThan(Date.now() - Date.parse(at(2)) - 60_000);
		// It exists as a task that logged does: the catalog lists it, its history (and stream) is there, empty.
		const catalog = await request(`${server.url}/api/catalog`, 'GET', undefined);
		expect((catalog.body as unknown as Catalog).automations.map((entry) => [entry.id, entry.tasks])).toEqual([['etl', ['extract', 'load']]]);
		const history = await request(`${server.url}/api/automations/tasks/logs?automationTaskID=load&currentRunID=${runId}`, 'GET', undefined);
		expect([history.status, history.body.logs]).toEqual([200, []]);

		// Another task logs before `load` does: `load` keeps its place, the first to be heard of.
		await ingest(server.url, undefined, runId, [
			{level: 'INFO', message: 'fetching', taskId: 'fetch', timestamp: at(3)},
			{level: 'ERROR', message: 'load: retrying', taskId: 'load', timestamp: at(4)},
		]);
		const done = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'succeeded', at: Date.parse(at(9))});
		expect(done.body).toEqual({taskId: 'load', state: 'succeeded', startedAt: at(2), finishedAt: at(9)});
		// The same report again changes nothing, whenever it arrives: a PUT may be sent twice.
		const again = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'succeeded'});
		expect(again.body).toEqual(done.body);
		await put(server.url, `/api/runs/${runId}/tasks/fetch`, {state: 'running', at: at(3)});
		await put(server.url, `/api/runs/${runId}/tasks/report`, {state: 'skipped', at: at(10)});
		const running = await tasksOf(server.url, runId);
		expect(running.map((task) => [task.taskId, task.state, task.reported, task.lines])).toEqual([
			['extract', 'running', false, 1],
			['load', 'succeeded', true, 1],
			['fetch', 'running', true, 1],
			['report', 'skipped', true, 0],
		]);
		expect(running[1]).toMatchObject({firstAt: at(4), lastAt: at(4), startedAt: at(2), finishedAt: at(9), durationMs: 7000, errors: 1, firstError: {message: 'load: retrying'}});
		expect(running[3]).toMatchObject({firstAt: at(10), lastAt: at(10), finishedAt: at(10), durationMs: 0, firstError: null});
		expect(running[3]!.startedAt).toBeUndefined();

		// The run fails: results stand; `fetch` still said running, so its state is derived (it was the last
		// heard from, and no task reported the failure), keeping its reported start.
		await finishRun(server.url, undefined, runId, 'failed');
		const ended = await tasksOf(server.url, runId);
		expect(ended.map((task) => [task.taskId, task.state, task.reported, task.startedAt])).toEqual([
			['extract', 'succeeded', false, undefined],
			['load', 'succeeded', true, at(2)],
			['fetch', 'failed', false, at(3)],
			['report', 'skipped', true, undefined],
		]);
		// A finished run's tasks are final, as its lines are.
		const late = await put(server.url, `/api/runs/${runId}/tasks/fetch`, {state: 'failed'});
		expect([late.status, late.body.error?.message]).toEqual([409, `run "${runId}" already finished (failed): its tasks' states are final`]);
	});

	it('takes artifacts in a pipeline\'s run, and a retried task back to running with its first start', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {pipelineId: 'report'});
		await put(server.url, `/api/runs/${runId}/artifacts/csv`, {state: 'running', at: at(1)});
		await put(server.url, `/api/runs/${runId}/artifacts/csv`, {state: 'failed', at: at(2)});
		const retried = await put(server.url, `/api/runs/${runId}/artifacts/csv`, {state: 'running', at: at(5)});
		expect(retried.body).toEqual({artifactId: 'csv', state: 'running', startedAt: at(1)});
		await put(server.url, `/api/runs/${runId}/artifacts/pdf`, {state: 'cancelled', at: at(6)});
		await put(server.url, `/api/runs/${runId}/artifacts/csv`, {state: 'succeeded', at: at(8)});
		await finishRun(server.url, undefined, runId, 'cancelled');
		const tasks = await tasksOf(server.url, runId);
		expect(tasks.map((task) => [task.artifactId, task.state, task.reported, task.startedAt, task.finishedAt, task.durationMs])).toEqual([
			['csv', 'succeeded', true, at(1), at(8), 7000],
			['pdf', 'cancelled', true, undefined, at(6), 0],
		]);
	});

	it('refuses what other ingest refuses: bad ids, states and times, the wrong kind, unknown runs, bodies and pages', async () => {
		const tokens = [{token: 'reader', permissions: ['read' as const]}, {token: 'writer', permissions: ['write' as const]}];
		const server = await current().start({tokens, corsOrigins: ['http://localhost:3000']});
		const writer = {authorization: 'Bearer writer'};
		const runId = await createRun(server.url, 'writer', {automationId: 'etl'});
		const pipelineRun = await createRun(server.url, 'writer', {pipelineId: 'report'});
		const refusals: Array<[string, unknown, Record<string, string>, number, RegExp]> = [
			[`/api/runs/${runId}/tasks/load`, {state: 'running'}, {}, 401, /token/],
			[`/api/runs/${runId}/tasks/load`, {state: 'running'}, {authorization: 'Bearer reader'}, 403, /scope|write/],
			[`/api/runs/${runId}/tasks/load`, {state: 'running'}, {...writer, origin: 'http://localhost:3000'}, 403, /^writes from web pages are refused/],
			[`/api/runs/${runId}/tasks/load`, {state: 'running'}, {...writer, 'content-type': 'text/plain'}, 415, /^Content-Type text\/plain is refused/],
			[`/api/runs/${runId}/tasks/a%20b`, {state: 'running'}, writer, 400, /^bad id "a b" in the path/],
			[`/api/runs/${runId}/tasks/a%2Fb`, {state: 'running'}, writer, 400, /^bad id "a\/b" in the path/],
			[`/api/runs/r-99/tasks/load`, {state: 'running'}, writer, 404, /^no run "r-99"/],
			[`/api/runs/${runId}/artifacts/load`, {state: 'running'}, writer, 400, new RegExp(`^run "${runId}" is a automation's: it has no artifacts; report its tasks at /api/runs/${runId}/tasks/\\{id\\}`)],
			[`/api/runs/${pipelineRun}/tasks/load`, {state: 'running'}, writer, 400, /it has no tasks; report its artifacts/],
			[`/api/runs/${runId}/tasks/load`, {state: 'done'}, writer, 400, /^"state" must be one of running, succeeded, failed, cancelled, skipped$/],
			[`/api/runs/${runId}/tasks/load`, {}, writer, 400, /^"state" must be one of/],
			[`/api/runs/${runId}/tasks/load`, {state: 'running', at: '2026-11-22 10:00'}, writer, 400, /^"at" "2026-11-22 10:00" is not an RFC 3339 time with a zone/],
			[`/api/runs/${runId}/tasks/load`, {state: 'running', at: 8.64e15}, writer, 400, /^"at" 8640000000000000 is not/],
			[`/api/runs/${runId}/tasks/load`, '[1]', writer, 400, /^the body must be a JSON object/],
			[`/api/runs/${runId}/tasks/load`, '{"state":', writer, 400, /^the body is not valid JSON/],
			[`/api/runs/${runId}/tasks/load`, JSON.stringify({state: 'running', pad: 'x'.repeat(70_000)}), writer, 413, /the limit is 65536/],
		];
		for (const [path, body, headers, status, message] of refusals) {
			const answer = await put(server.url, path, body, headers);
			expect([path, headers, answer.status, answer.body.error?.message]).toEqual([path, headers, status, expect.stringMatching(message)]);
		}

		// A page may not even ask: the preflight for a PUT is refused too.
		const preflight = await request(`${server.url}/api/runs/${runId}/tasks/load`, 'OPTIONS', undefined, {
			origin: 'http://localhost:3000',
			'access-control-request-method': 'PUT',
		});
		expect(preflight.status).toBe(403);
		// Nothing of the refusals was stored.
		const read = await request(`${server.url}/api/runs/${runId}/tasks`, 'GET', undefined, {authorization: 'Bearer reader'});
		expect((read.body as unknown as RunTasksAnswer).tasks).toEqual([]);
	});

	it('answers a retry with the same Idempotency-Key as the first time, and refuses the key for another report', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const key = {'idempotency-key': '"8e03978e-40d5-43e8-bc93-6894a57f9324"'};
		const first = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'running', at: at(1)}, key);
		await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'failed', at: at(4)});
		// A late retry of the first request: stored once, so it cannot take the task back to running.
		const retry = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'running', at: at(1)}, key);
		expect([retry.status, retry.headers['idempotent-replayed'], retry.body]).toEqual([200, 'true', first.body]);
		expect((await tasksOf(server.url, runId)).map((task) => task.state)).toEqual(['failed']);
		const other = await put(server.url, `/api/runs/${runId}/tasks/load`, {state: 'succeeded'}, key);
		expect(other.status).toBe(422);
		// The same key on another task is another write.
		const elsewhere = await put(server.url, `/api/runs/${runId}/tasks/extract`, {state: 'running', at: at(1)}, key);
		expect([elsewhere.status, elsewhere.headers['idempotent-replayed']]).toEqual([200, undefined]);
	});
});
