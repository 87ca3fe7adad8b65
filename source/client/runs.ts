import type {RunsAnswer} from '../protocol/api.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {apiUrl} from '../protocol/streams.js';
import {MAX_ERROR_ANSWER_BYTES, readCappedJson, readCappedText} from './capped-body.js';
import {TokenSource} from './token-source.js';

export type RunsRequest = {
	server: string;
	token?: string;
	tokenCommand?: string;
	kind: 'automation' | 'pipeline';
	id: string;
	/** Runs older than this one; the newest without it. */
	before?: string;
	limit: number;
	/** Count each run's lines this pattern matches (the server's `grep=`). */
	grep?: string;
	/** Gives up on a server that does not answer (default 30 s). */
	timeoutMs?: number;
};

/** A page of runs is at most 1,000 runs of a few hundred bytes each. */
const MAX_RUNS_ANSWER_BYTES = 4 * 1024 * 1024;

const RUNS_PATHS = {automation: '/api/automations/{id}/runs', pipeline: '/api/pipeline/{id}/runs'} as const;

/** Refused or unreachable: `message` is one line, naming the server's reason where it gave one. */
export class RunsRequestError extends Error {
	constructor(message: string, options?: ErrorOptions) {
		super(message, options);
		this.name = 'RunsRequestError';
	}
}

/**
 * `GET .../runs` (docs/protocol.md, Runs and tasks) with the bearer token in a header, refreshing it once
 * with the token command on a 401.
 */
export async function fetchRuns(request: RunsRequest): Promise<RunsAnswer> {
	const url = apiUrl(request.server, RUNS_PATHS[request.kind].replace('{id}', encodeURIComponent(request.id)));
	url.searchParams.set('limit', String(request.limit));
	if (request.before !== undefined) {url.searchParams.set('before', request.before);}
	if (request.grep !== undefined) {url.searchParams.set('grep', request.grep);}
	const tokens = new TokenSource(request.token, request.tokenCommand);
	const signal = AbortSignal.timeout(request.timeoutMs ?? 30_000);
	const get = async () => fetch(url, {headers: {accept: 'application/json', ...tokens.headers()}, signal});
	let response: Response;
	try {
		response = await get();
		if (response.status === 401 && tokens.canRefresh) {
			await response.body?.cancel().catch(() => {});
			await tokens.refresh();
			response = await get();
		}
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		const why = (error as Error).name === 'TimeoutError' ? ': no answer in time' : cause ? ` (${cause})` : `: ${(error as Error).message}`;
		throw new RunsRequestError(`cannot reach ${url.origin}${why}`, {cause: error});
	}

	if (!response.ok) {
		throw new RunsRequestError(`the server answered ${response.status} for the runs of ${request.kind}/${request.id}${await reason(response)}`);
	}

	const answer = (await readCappedJson(response, MAX_RUNS_ANSWER_BYTES, 'a list of runs')) as Partial<RunsAnswer>;
	if (!Array.isArray(answer.runs)) {
		throw new RunsRequestError(`${url.origin} does not list runs (no "runs" in its answer): is it a dbtail server?`);
	}

	return {runs: answer.runs, next: typeof answer.next === 'string' ? answer.next : null};
}

/** `: <the server's message>` from a dbtail error body, or nothing. */
async function reason(response: Response): Promise<string> {
	try {
		const body = JSON.parse(await readCappedText(response, MAX_ERROR_ANSWER_BYTES, 'an error')) as {error?: {message?: unknown}};
		return typeof body.error?.message === 'string' ? `: ${sanitizeInline(body.error.message)}` : '';
	} catch {
		return '';
	}
}
