import type {RunsAnswer, RunTasksAnswer} from '../protocol/api.js';
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

/** Where to ask, and as whom: a server and its credentials (a token, or a command that prints one). */
export type RunsServer = {server: string; token?: string; tokenCommand?: string; timeoutMs?: number};

/**
 * One GET of a runs answer (docs/protocol.md, Runs and tasks) with the bearer token in a header, refreshing it
 * once with the token command on a 401; rejects with one line naming the server's reason. `what` names the
 * answer in messages (`the runs of automation/x`).
 */
async function getAnswer(target: RunsServer, url: URL, what: string, maxBytes: number): Promise<Record<string, unknown>> {
	const tokens = new TokenSource(target.token, target.tokenCommand);
	const signal = AbortSignal.timeout(target.timeoutMs ?? 30_000);
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
		throw new RunsRequestError(`the server answered ${response.status} for ${what}${await reason(response)}`);
	}

	return (await readCappedJson(response, maxBytes, what)) as Record<string, unknown>;
}

/** `GET .../runs`: a page of an automation's or pipeline's runs, newest first. */
export async function fetchRuns(request: RunsRequest): Promise<RunsAnswer> {
	const url = apiUrl(request.server, RUNS_PATHS[request.kind].replace('{id}', encodeURIComponent(request.id)));
	url.searchParams.set('limit', String(request.limit));
	if (request.before !== undefined) {url.searchParams.set('before', request.before);}
	if (request.grep !== undefined) {url.searchParams.set('grep', request.grep);}
	const answer = (await getAnswer(request, url, `the runs of ${request.kind}/${request.id}`, MAX_RUNS_ANSWER_BYTES)) as Partial<RunsAnswer>;
	if (!Array.isArray(answer.runs)) {
		throw new RunsRequestError(`${url.origin} does not list runs (no "runs" in its answer): is it a dbtail server?`);
	}

	return {runs: answer.runs, next: typeof answer.next === 'string' ? answer.next : null};
}

/** A run's task summary is a few hundred bytes a task. */
const MAX_TASKS_ANSWER_BYTES = 4 * 1024 * 1024;

/** `GET /api/runs/{runId}/tasks`: the run and its tasks or artifacts, summarized. */
export async function fetchRunTasks(target: RunsServer, runId: string): Promise<RunTasksAnswer> {
	const url = apiUrl(target.server, `/api/runs/${encodeURIComponent(runId)}/tasks`);
	const answer = (await getAnswer(target, url, `the tasks of run ${runId}`, MAX_TASKS_ANSWER_BYTES)) as Partial<RunTasksAnswer>;
	if (!answer.run || !Array.isArray(answer.tasks)) {
		throw new RunsRequestError(`${url.origin} does not list a run's tasks: is it a dbtail server?`);
	}

	return {run: answer.run, tasks: answer.tasks};
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
