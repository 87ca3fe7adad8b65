import type {IncomingMessage, ServerResponse} from 'node:http';
import type {CreatedRun} from '../../protocol/api.js';
import {ENTITY_ID, RUN_RESULTS, type RunResult} from '../../protocol/record.js';
import {ENTITY_ID_RULE} from '../../protocol/streams.js';
import {badRequest, notFound} from '../api-error.js';
import type {ServerContext} from '../context.js';
import {readBody, parseJsonObject, sendJson} from '../http/http-util.js';
import {idempotencyFor, idempotencyKeyOf, REPLAYED_HEADER} from '../http/idempotency-key.js';
import {requireBodyType} from '../http/media-type.js';
import {parseBatch, refuseNul} from '../ingest/parse-batch.js';

/** A run's create or finish body is a few fields: more is refused before JSON.parse spends a second on 16 MB of `[`. */
export const SMALL_BODY_BYTES = 64 * 1024;

const replayedHeaders = (replayed: boolean) => (replayed ? REPLAYED_HEADER : {});

/** `POST /api/runs`: `{automationId | pipelineId, name?}` → 201 `{runId}`. */
export async function createRun(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const key = idempotencyKeyOf(req);
	const text = await readBody(req, Math.min(ctx.maxBodyBytes, SMALL_BODY_BYTES));
	const {automationId, pipelineId, name} = parseJsonObject(text);
	if ((automationId === undefined) === (pipelineId === undefined)) {
		throw badRequest('give exactly one of "automationId" or "pipelineId"');
	}

	const id = automationId ?? pipelineId;
	const field = automationId === undefined ? 'pipelineId' : 'automationId';
	if (typeof id !== 'string' || !ENTITY_ID.test(id)) {
		throw badRequest(`"${field}" must be ${ENTITY_ID_RULE}`);
	}

	if (name !== undefined && (typeof name !== 'string' || name.length > 200)) {
		throw badRequest('"name" must be a string of at most 200 characters');
	}

	if (name !== undefined) {refuseNul(name, 'the body', 'name');}

	const kind = automationId === undefined ? 'pipeline' : 'automation';
	const written = await ctx.ingest.startRun(kind, id, name, idempotencyFor(key, 'runs', req, text));
	const answer: CreatedRun = {runId: written.value.runId};
	sendJson(res, 201, answer, replayedHeaders(written.replayed));
}

async function existingRun(ctx: ServerContext, runId: string) {
	// From the run cache: a producer's every batch must not cost a store read before its own write.
	const run = await ctx.runs.load(runId);
	if (!run) {throw notFound(`no run "${runId}"`);}
	return run;
}

/** `POST /api/runs/{runId}/logs`: NDJSON or a JSON array, as its Content-Type says; stored all or nothing. */
export async function appendLogs(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
	const format = requireBodyType(req, ['application/json', 'application/x-ndjson']) === 'application/x-ndjson' ? 'ndjson' : 'json';
	const key = idempotencyKeyOf(req);
	const run = await existingRun(ctx, runId);
	const text = await readBody(req, ctx.maxBodyBytes);
	try {
		const lines = await parseBatch(text, format, run.automationId === undefined ? 'pipeline' : 'automation');
		const written = await ctx.ingest.append(runId, lines, idempotencyFor(key, `logs:${runId}`, req, text));
		sendJson(res, 200, written.value, replayedHeaders(written.replayed));
	} catch (error) {
		ctx.metrics.batchesRejected.inc();
		throw error;
	}
}

/** `POST /api/runs/{runId}/finish`: `{result}`. */
export async function finishRun(ctx: ServerContext, req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
	const key = idempotencyKeyOf(req);
	await existingRun(ctx, runId);
	const text = await readBody(req, Math.min(ctx.maxBodyBytes, SMALL_BODY_BYTES));
	const {result} = parseJsonObject(text);
	if (!RUN_RESULTS.includes(result as RunResult)) {
		throw badRequest(`"result" must be one of ${RUN_RESULTS.join(', ')}`);
	}

	const written = await ctx.ingest.finish(runId, result as RunResult, idempotencyFor(key, `finish:${runId}`, req, text));
	sendJson(res, 200, written.value, replayedHeaders(written.replayed));
}
