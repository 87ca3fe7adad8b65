import {MAX_ERROR_ANSWER_BYTES, MAX_HISTORY_ANSWER_BYTES, readCappedJson, readCappedText} from './capped-body.js';
import {toIsoTime} from './dialects/fields.js';
import {fetchedAnswerError} from './sse-connection.js';
import type {Dialect} from './types.js';

/*
 * Where a WebSocket log stream keeps its history, read to fill the start of a job and the gap of a
 * reconnect (ws-resume.ts). Two servers are known: Stratal (seed 003), whose
 * `/api/v1/logs/stream/ws?job_run_id=J` has `GET /api/v1/logs/job-runs/J?limit&offset` beside it, and the
 * CloudWatch forwarder of the reliability summary (seed 004), which answers `GET /logs?since=<timestamp>`
 * on its own origin with the WebSocket's query. Neither sends ids: what is read is matched by content.
 */

export type HistoryEndpoint = {
	/** For what is said: `GET /logs`. */
	readonly name: string;
	/**
	 * The items (each one a raw record, as a live frame carries it) from `since` on, in order, page by page.
	 * Rejects with the HttpError of a refusal, or the network's error.
	 */
	read(since: string | undefined, headers: Record<string, string>, signal: AbortSignal): AsyncGenerator<unknown[]>;
};

const STRATAL_WS = /^(.*)\/api\/v1\/logs\/stream\/ws\/?$/;
const PAGE = 1000;

/** The http(s) twin of a ws(s) URL. */
function httpOf(url: URL, path: string): URL {
	const http = new URL(url);
	http.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
	http.pathname = path;
	http.search = '';
	http.hash = '';
	return http;
}

async function getJson(url: URL, headers: Record<string, string>, signal: AbortSignal): Promise<unknown> {
	const response = await fetch(url, {headers: {Accept: 'application/json', ...headers}, signal, redirect: 'error'});
	if (!response.ok) {
		const body = await readCappedText(response, MAX_ERROR_ANSWER_BYTES, 'an error answer').catch(() => '');
		throw fetchedAnswerError(response, body);
	}

	return readCappedJson(response, MAX_HISTORY_ANSWER_BYTES, 'a history page');
}

function stratal(url: URL, prefix: string, jobRunId: string): HistoryEndpoint {
	const base = httpOf(url, `${prefix}/api/v1/logs/job-runs/${encodeURIComponent(jobRunId)}`);
	/*
	 * Stratal pages by offset and takes no time: the lines before the one resumed from are read again each
	 * time but for the leading run of them, whose count is kept (history only grows at its end).
	 */
	let skip = 0;
	return {
		name: `GET ${base.pathname}`,
		async * read(since, headers, signal) {
			let offset = skip;
			let leading = true;
			for (;;) {
				const page = new URL(base);
				page.searchParams.set('limit', String(PAGE));
				page.searchParams.set('offset', String(offset));
				const body = (await getJson(page, headers, signal)) as {logs?: unknown; pagination?: {total?: unknown}};
				const logs = Array.isArray(body.logs) ? (body.logs as unknown[]) : [];
				// History records leave out the job (it is in the path): put it back, as the live frames carry it.
				const items = logs.map((item) => (item !== null && typeof item === 'object' ? {job_run_id: jobRunId, ...item} : item));
				for (const item of items) {
					const time = (item as {timestamp?: unknown} | null)?.timestamp;
					leading &&= since !== undefined && toIsoTime(time, 0) < since;
					skip += leading ? 1 : 0;
				}

				yield items;
				offset += logs.length;
				const total = typeof body.pagination?.total === 'number' ? body.pagination.total : undefined;
				if (logs.length === 0 || (total !== undefined && offset >= total)) {
					return;
				}
			}
		},
	};
}

function forwarder(url: URL, resumeParam: string | undefined): HistoryEndpoint {
	const base = httpOf(url, '/logs');
	for (const [name, value] of url.searchParams) {
		if (name !== resumeParam) {
			base.searchParams.append(name, value);
		}
	}

	return {
		name: 'GET /logs',
		async * read(since, headers, signal) {
			const page = new URL(base);
			if (since !== undefined) {
				page.searchParams.set('since', since);
			}

			const body = (await getJson(page, headers, signal)) as {logs?: unknown} | unknown[];
			const logs = Array.isArray(body) ? body : body.logs;
			yield Array.isArray(logs) ? (logs as unknown[]) : [];
		},
	};
}

/**
 * The history beside a WebSocket stream: Stratal's for its URL, `GET /logs` for any other in the generic
 * dialect (a server without it answers 404, and is not asked again). None for dbtail's own dialect, whose
 * WebSocket nobody serves, or a source whose history is turned off.
 */
export function historyFor(url: URL, dialect: Dialect | undefined, resumeParam: string | undefined): HistoryEndpoint | undefined {
	const stratalPath = STRATAL_WS.exec(url.pathname);
	const jobRunId = url.searchParams.get('job_run_id');
	if (stratalPath && jobRunId) {
		return stratal(url, stratalPath[1]!, jobRunId);
	}

	return dialect === undefined || dialect === 'generic' ? forwarder(url, resumeParam) : undefined;
}

/** Stratal's WebSocket URL is recognizable before any frame arrives. */
export function wsDialectFromUrl(url: URL): Dialect | undefined {
	return STRATAL_WS.test(url.pathname) ? 'stratal' : undefined;
}
