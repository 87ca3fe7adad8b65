import type {IncomingMessage, ServerResponse} from 'node:http';
import type {CreatedRun} from '../../protocol/api.js';
import {ENTITY_ID, RUN_RESULTS, type RunResult} from '../../protocol/record.js';
import {badRequest, notFound} from '../api-error.js';
import type {ServerContext} from '../context.js';
import {readBody, readJsonObject, sendJson} from '../http/http-util.js';
import {requireBodyType} from '../http/media-type.js';
import {parseBatch} from '../ingest/parse-batch.js';

/** `POST /api/runs`: `{automationId | pipelineId, name?}` → 201 `{runId}`. */
export async function createRun(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const body = await readJsonObject(req, ctx.maxBodyBytes);
	const {automationId, pipelineId, name} = body;
	if ((automationId === undefined) === (pipelineId === undefined)) {
		throw badRequest('give exactly one of "automationId" or "pipelineId"');
	}

	const id = automationId ?? pipelineId;
	const field = automationId === undefined ? 'pipelineId' : 'automationId';
	if (typeof id !== 'string' || !ENTITY_ID.test(id)) {
		throw badRequest(`"${field}" must be 1 to 128 letters, digits, ".", "_" or "-"`);
	}

	if (name !== undefined && (typeof name !== 'string' || name.length > 200)) {
		throw badRequest('"name" must be a string of at most 200 characters');
	}

	const run = ctx.ingest.startRun(automationId === undefined ? 'pipeline' : 'automation', id, name);
	const answer: CreatedRun = {runId: run.runId};
	sendJson(res, 201, answer);
}

function existingRun(ctx: ServerContext, runId: string) {
	const run = ctx.store.getRun(runId);
	if (!run) {throw notFound(`no run "${runId}"`);}
	return run;
}

/** `POST /api/runs/{runId}/logs`: NDJSON or a JSON array, as its Content-Type says; stored all or nothing. */
export async function appendLogs(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
	const format = requireBodyType(req, ['application/json', 'application/x-ndjson']) === 'application/x-ndjson' ? 'ndjson' : 'json';
	const run = existingRun(ctx, runId);
	const text = await readBody(req, ctx.maxBodyBytes);
	try {
		const lines = parseBatch(text, format, run.automationId === undefined ? 'pipeline' : 'automation');
		const {records: _records, ...result} = ctx.ingest.append(runId, lines);
		sendJson(res, 200, result);
	} catch (error) {
		ctx.metrics.batchesRejected.inc();
		throw error;
	}
}

/** `POST /api/runs/{runId}/finish`: `{result}`. */
export async function finishRun(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
	existingRun(ctx, runId);
	const {result} = await readJsonObject(req, ctx.maxBodyBytes);
	if (!RUN_RESULTS.includes(result as RunResult)) {
		throw badRequest(`"result" must be one of ${RUN_RESULTS.join(', ')}`);
	}

	sendJson(res, 200, ctx.ingest.finish(runId, result as RunResult));
}
