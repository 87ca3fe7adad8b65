import type {IncomingMessage, ServerResponse} from 'node:http';
import {STREAM_KINDS, STREAM_PATHS, type StreamKind} from '../protocol/streams.js';
import {ApiError, fromStoreError, notFound} from './api-error.js';
import type {Permission} from './auth.js';
import type {ServerContext} from './context.js';
import {ClientGone, sendError, sendJson} from './http/http-util.js';
import {requireBodyType, type BodyType} from './http/media-type.js';
import {appendLogs, createRun, finishRun} from './routes/ingest-routes.js';
import {pathId} from './routes/path-ids.js';
import {catalog, download, history, runInfo, streamStatus} from './routes/read-routes.js';
import {runsOfEntity, runTasks} from './routes/run-routes.js';
import {openStream} from './routes/stream-routes.js';
import {reportTaskState, TASK_STATE_PATHS} from './routes/task-state-routes.js';
import {issueStreamToken} from './routes/token-routes.js';

type Handler = (ctx: ServerContext, req: IncomingMessage, res: ServerResponse, url: URL, id: string, tokenKey?: string) => unknown;
type Route = {
	method: 'GET' | 'POST' | 'PUT';
	path: RegExp;
	/** Checked here; without one the route needs no token, or checks its own (`/api/tokens`). */
	permission?: Permission;
	/** The Content-Types its body (POST, PUT) may have. */
	body?: readonly BodyType[];
	/** An SSE stream: the one place a short-lived token may come in `?token=` (EventSource sends no headers). */
	stream?: true;
	handle: Handler;
};

const JSON_BODY = ['application/json'] as const;
const LOG_BODY = ['application/json', 'application/x-ndjson'] as const;

/** A path of protocol/streams.ts as a route: the whole path, its `{id}` one segment (captured). */
function exactPath(template: string): RegExp {
	return new RegExp(`^${template.replaceAll(/[.*+?^$()|[\]\\/]/g, String.raw`\$&`).replace('{id}', '([^/]+)')}$`);
}

const stream = (kind: StreamKind): Handler => (ctx, req, res, url, id, key) => openStream(ctx, req, res, url, kind, id || undefined, key);
const historyOf = (kind: StreamKind, idParam?: string): Handler => (ctx, _req, res, url) => history(ctx, res, url, kind, idParam);

// Exact history paths come before the `{id}` stream paths: `/api/automations/tasks/logs` is history, not automation "tasks".
const ROUTES: Route[] = [
	{method: 'GET', path: /^\/healthz$/, handle: async (ctx, _req, res) => health(ctx, res)},
	{
		method: 'GET',
		path: /^\/metrics$/,
		permission: 'read',
		async handle(ctx, _req, res) {
			const text = await ctx.metrics.registry.metrics();
			res.writeHead(200, {'content-type': ctx.metrics.registry.contentType});
			res.end(text);
		},
	},
	{method: 'GET', path: /^\/api\/catalog$/, permission: 'read', handle: (ctx, _req, res) => catalog(ctx, res)},
	{method: 'GET', path: /^\/api\/stream\/status$/, permission: 'read', handle: (ctx, _req, res) => streamStatus(ctx, res)},
	{method: 'POST', path: /^\/api\/tokens$/, handle: (ctx, req, res, url) => issueStreamToken(ctx, req, res, url)},
	{method: 'POST', path: /^\/api\/runs$/, permission: 'write', body: JSON_BODY, handle: (ctx, req, res) => createRun(ctx, req, res)},
	{method: 'POST', path: /^\/api\/runs\/([^/]+)\/logs$/, permission: 'write', body: LOG_BODY, handle: (ctx, req, res, _url, id) => appendLogs(ctx, req, res, id)},
	{method: 'POST', path: /^\/api\/runs\/([^/]+)\/finish$/, permission: 'write', body: JSON_BODY, handle: (ctx, req, res, _url, id) => finishRun(ctx, req, res, id)},
	{method: 'PUT', path: TASK_STATE_PATHS.automation, permission: 'write', body: JSON_BODY, handle: (ctx, req, res, url, id) => reportTaskState(ctx, req, res, url, id, 'automation')},
	{method: 'PUT', path: TASK_STATE_PATHS.pipeline, permission: 'write', body: JSON_BODY, handle: (ctx, req, res, url, id) => reportTaskState(ctx, req, res, url, id, 'pipeline')},
	{method: 'GET', path: /^\/api\/runs\/([^/]+)\/logs\/download$/, permission: 'read', handle: (ctx, req, res, _url, id) => download(ctx, req, res, id)},
	{method: 'GET', path: /^\/api\/runs\/([^/]+)\/tasks$/, permission: 'read', handle: (ctx, _req, res, _url, id) => runTasks(ctx, res, id)},
	{method: 'GET', path: /^\/api\/automations\/([^/]+)\/runs$/, permission: 'read', handle: (ctx, _req, res, url, id) => runsOfEntity(ctx, res, url, 'automation', id)},
	{method: 'GET', path: /^\/api\/pipeline\/([^/]+)\/runs$/, permission: 'read', handle: (ctx, _req, res, url, id) => runsOfEntity(ctx, res, url, 'pipeline', id)},
	{method: 'GET', path: /^\/api\/runs\/([^/]+)$/, permission: 'read', handle: (ctx, _req, res, _url, id) => runInfo(ctx, res, id)},
	...STREAM_KINDS.map((kind): Route => ({method: 'GET', path: exactPath(STREAM_PATHS[kind].history), permission: 'read', handle: historyOf(kind, STREAM_PATHS[kind].idParam)})),
	...STREAM_KINDS.map((kind): Route => ({method: 'GET', path: exactPath(STREAM_PATHS[kind].stream), permission: 'read', stream: true, handle: stream(kind)})),
];

/**
 * `{ok, epoch, store, reachable}`: 200 while the store answers, 503 while it does not, so a balancer that
 * checks it sends new requests elsewhere (open streams stay open and catch up once it is back).
 */
async function health(ctx: ServerContext, res: ServerResponse): Promise<void> {
	const {store, reachable, error} = await ctx.store.health();
	sendJson(res, reachable ? 200 : 503, {ok: reachable, epoch: ctx.store.epoch, store, reachable, ...(error ? {error} : {})});
}

async function route(ctx: ServerContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://dbtail.invalid');
	const matches = ROUTES.map((candidate) => ({candidate, match: candidate.path.exec(url.pathname)})).filter((entry) => entry.match);
	if (matches.length === 0) {throw notFound(`no endpoint ${url.pathname}`);}
	ctx.auth.checkHost(req);
	if (req.method === 'OPTIONS') {
		const methods = [...new Set(matches.map((entry) => entry.candidate.method))];
		const pageMethods = [...new Set(matches.filter((entry) => entry.candidate.permission !== 'write').map((entry) => entry.candidate.method))];
		ctx.origins.preflight(req, res, pageMethods, methods);
		return;
	}

	const found = matches.find((entry) => entry.candidate.method === req.method);
	if (!found) {
		throw new ApiError(405, 'bad-request', `${req.method} is not allowed on ${url.pathname}`, {allow: matches[0]!.candidate.method});
	}

	// Before the token: a page's request is refused whoever's token it carries, and an allowed page can read the answer.
	ctx.origins.check(req, res, found.candidate.permission === 'write');
	if (ctx.draining && url.pathname !== '/healthz') {
		throw new ApiError(503, 'internal', 'the server is shutting down; retry shortly', {'retry-after': '2'});
	}

	const key = found.candidate.permission ? ctx.auth.check(req, url, found.candidate.permission, found.candidate.stream) : undefined;
	// Before any body is read or any run looked up: a body of another type is refused whatever it holds.
	if (found.candidate.body) {requireBodyType(req, found.candidate.body);}
	await found.candidate.handle(ctx, req, res, url, pathId(found.match![1]), key);
}

/** The request listener: routes, and turns every refusal into `{error: {code, message}}`. */
export function createHandler(ctx: ServerContext) {
	return (req: IncomingMessage, res: ServerResponse) => {
		route(ctx, req, res).catch((error: unknown) => {
			if (error instanceof ClientGone) {
				ctx.log(`${req.method} ${req.url?.split('?')[0]}: ${error.message}`);
				return;
			}

			const refusal = error instanceof ApiError ? error : fromStoreError(error);
			if (refusal) {
				sendError(res, refusal);
				return;
			}

			ctx.log(`internal error on ${req.method} ${req.url?.split('?')[0]}: ${(error as Error).stack ?? String(error)}`);
			sendError(res, new ApiError(500, 'internal', 'internal server error'));
		});
	};
}
