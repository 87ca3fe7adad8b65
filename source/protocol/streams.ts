import {ENTITY_ID} from './record.js';

export const STREAM_KINDS = ['automation', 'task', 'pipeline', 'artifact', 'all'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

/** What one pane follows: `automation/<id>`, `task/<id>`, `pipeline/<id>`, `artifact/<id>` or `all`. */
export type StreamRef = {kind: StreamKind; id?: string; run?: string};

/** What an entity, task, artifact or run id may be (ENTITY_ID), as every message that refuses one says it. */
export const ENTITY_ID_RULE = '1 to 128 letters, digits, ".", "_" or "-", not dots only';

export class StreamNameError extends Error {}

/**
 * Reads a stream name as a user types it. `automation/nightly-etl`, `task/extract?run=r-4021`, `all`.
 * Throws a StreamNameError whose message names what is wrong.
 */
export function parseStreamName(name: string): StreamRef {
	const [path = '', query] = name.trim().split('?', 2);
	const run = query === undefined ? undefined : new URLSearchParams(query).get('run') ?? undefined;
	if (run !== undefined && !ENTITY_ID.test(run)) {
		throw new StreamNameError(`bad run id in "${name}": ${ENTITY_ID_RULE}`);
	}

	if (path === 'all') {
		return {kind: 'all', run};
	}

	const slash = path.indexOf('/');
	const kind = path.slice(0, slash) as StreamKind;
	const id = path.slice(slash + 1);
	if (slash < 0 || !STREAM_KINDS.includes(kind) || kind === 'all') {
		throw new StreamNameError(
			`unknown source "${name}": use automation/<id>, task/<id>, pipeline/<id>, artifact/<id>, all, or an http(s):// URL`,
		);
	}

	if (!ENTITY_ID.test(id)) {
		throw new StreamNameError(`bad id in "${name}": ${ENTITY_ID_RULE}`);
	}

	return {kind, id, run};
}

export function formatStreamName(ref: StreamRef): string {
	const base = ref.kind === 'all' ? 'all' : `${ref.kind}/${ref.id}`;
	return ref.run ? `${base}?run=${ref.run}` : base;
}

/**
 * Where each kind of stream lives on a dbtail server (docs/protocol.md, Endpoints), the one list both the
 * client and the server's routes are made from: its SSE path (`{id}` stands for the entity) and its history
 * path with the query parameter that names the entity.
 */
export const STREAM_PATHS: Readonly<Record<StreamKind, {stream: string; history: string; idParam?: string}>> = {
	automation: {stream: '/api/automations/{id}/logs', history: '/api/automations/logs', idParam: 'automationID'},
	task: {stream: '/api/automations/tasks/{id}/logs', history: '/api/automations/tasks/logs', idParam: 'automationTaskID'},
	pipeline: {stream: '/api/pipeline/{id}/logs', history: '/api/pipeline/logs', idParam: 'pipelineID'},
	artifact: {stream: '/api/artifacts/{id}/logs', history: '/api/artifacts/logs', idParam: 'artifactID'},
	all: {stream: '/api/logs/stream', history: '/api/logs'},
};

/** The SSE path of a stream on a dbtail server; entity streams carry `stream=true`, as the protocol asks. */
export function streamPath(ref: StreamRef): string {
	const path = STREAM_PATHS[ref.kind].stream;
	return ref.kind === 'all' ? path : `${path.replace('{id}', encodeURIComponent(ref.id ?? ''))}?stream=true`;
}

/** The history path of a stream and the query parameter that names its entity. */
export function historyPath(ref: StreamRef): {path: string; idParam?: string} {
	const {history, idParam} = STREAM_PATHS[ref.kind];
	return {path: history, idParam};
}

type QueryParams = Record<string, string | number | undefined>;

/**
 * `path` (`/api/...`, may carry a query) on the server at `server`, keeping the server's own path: a
 * dbtail behind a proxy at `https://host/dbtail` serves `https://host/dbtail/api/...`, which
 * `new URL('/api/...', server)` would lose.
 */
export function apiUrl(server: string | URL, path: string): URL {
	const base = new URL(server);
	if (!base.pathname.endsWith('/')) {
		base.pathname += '/';
	}

	base.search = '';
	base.hash = '';
	return new URL(path.replace(/^\/+/, ''), base);
}

function withParams(url: URL, params: QueryParams): URL {
	for (const [key, value] of Object.entries(params)) {
		if (value !== undefined) {
			url.searchParams.set(key, String(value));
		}
	}

	return url;
}

/** Full history URL; `params` adds `currentRunID`, `after`, `before`, `limit`, `level`. */
export function historyUrl(server: string, ref: StreamRef, params: QueryParams): URL {
	const {path, idParam} = historyPath(ref);
	const url = apiUrl(server, path);
	if (idParam && ref.id) {
		url.searchParams.set(idParam, ref.id);
	}

	if (ref.run) {
		url.searchParams.set('currentRunID', ref.run);
	}

	return withParams(url, params);
}

/** Full SSE URL of a stream on `server`, with optional extra query parameters (never a token). */
export function streamUrl(server: string, ref: StreamRef, params: QueryParams = {}): URL {
	const url = apiUrl(server, streamPath(ref));
	if (ref.run) {
		url.searchParams.set('run', ref.run);
	}

	return withParams(url, params);
}
