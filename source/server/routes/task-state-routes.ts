import type {IncomingMessage, ServerResponse} from 'node:http';
import {TASK_STATES, type TaskState} from '../../protocol/api.js';
import {parseRecordTime} from '../../protocol/time.js';
import {badRequest, notFound} from '../api-error.js';
import type {ServerContext} from '../context.js';
import {parseJsonObject, readBody, sendJson} from '../http/http-util.js';
import {idempotencyFor, idempotencyKeyOf, REPLAYED_HEADER} from '../http/idempotency-key.js';
import type {EntityKind} from '../store/types.js';
import {SMALL_BODY_BYTES} from './ingest-routes.js';
import {pathId} from './path-ids.js';

/*
 * A producer reports a task's (artifact's) state: `PUT /api/runs/{runId}/tasks/{taskId}` in an automation's
 * run, `PUT /api/runs/{runId}/artifacts/{artifactId}` in a pipeline's, with `{"state", "at"?}`. PUT: the
 * request says what the state is, so sending it again is harmless (the state the task has changes nothing).
 */

export const TASK_STATE_PATHS: Record<EntityKind, RegExp> = {
	automation: /^\/api\/runs\/([^/]+)\/tasks\/([^/]+)$/,
	pipeline: /^\/api\/runs\/([^/]+)\/artifacts\/([^/]+)$/,
};

const CHILD = {automation: {noun: 'task', segment: 'tasks'}, pipeline: {noun: 'artifact', segment: 'artifacts'}} as const;

function readState(body: Record<string, unknown>): {state: TaskState; at?: string} {
	const {state, at} = body;
	if (!TASK_STATES.includes(state as TaskState)) {
		throw badRequest(`"state" must be one of ${TASK_STATES.join(', ')}`);
	}

	if (at === undefined || at === null) {return {state: state as TaskState};}
	const date = parseRecordTime(at);
	if (!date) {
		throw badRequest(`"at" ${JSON.stringify(at)} is not an RFC 3339 time with a zone (2026-01-31T12:00:00Z) or epoch milliseconds, in the years 1970 to 9999`);
	}

	return {state: state as TaskState, at: date.toISOString()};
}

/** The handler of both paths: `kind` is whose child the path names; 200 with the task's report as stored. */
export async function reportTaskState(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL, runId: string, kind: EntityKind): Promise<void> {
	const key = idempotencyKeyOf(req);
	const childId = pathId(TASK_STATE_PATHS[kind].exec(url.pathname)?.[2]);
	// From the run cache, as a batch of lines is checked: a report costs no store read before its write.
	const run = await ctx.runs.load(runId);
	if (!run) {throw notFound(`no run "${runId}"`);}
	const runKind: EntityKind = run.automationId === undefined ? 'pipeline' : 'automation';
	if (runKind !== kind) {
		const own = CHILD[runKind];
		throw badRequest(`run "${runId}" is a ${runKind}'s: it has no ${CHILD[kind].noun}s; report its ${own.noun}s at /api/runs/${runId}/${own.segment}/{id}`);
	}

	const text = await readBody(req, Math.min(ctx.maxBodyBytes, SMALL_BODY_BYTES));
	const {state, at} = readState(parseJsonObject(text));
	const written = await ctx.ingest.reportTask(runId, childId, state, at, idempotencyFor(key, `task:${runId}/${kind}/${childId}`, req, text));
	sendJson(res, 200, written.value, written.replayed ? REPLAYED_HEADER : {});
}
