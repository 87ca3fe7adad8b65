import http from 'node:http';
import type {CreatedRun, IngestResult} from '../../source/protocol/api.js';
import type {RunResult} from '../../source/protocol/record.js';

/*
 * Producer-side helpers for tests: create a run, post log lines, finish it, through the real HTTP API.
 * Every helper throws with the server's answer when it is not a 2xx, so a test fails with the reason.
 */

export type CreateRunBody = {automationId: string; name?: string} | {pipelineId: string; name?: string};

export type IngestLine =
	| string
	| {
			level: string;
			message: string;
			timestamp?: string;
			taskId?: string;
			artifactId?: string;
			stream?: string;
			metadata?: Record<string, unknown>;
	  };

function headers(token: string | undefined, contentType = 'application/json'): Record<string, string> {
	return token ? {'content-type': contentType, authorization: `Bearer ${token}`} : {'content-type': contentType};
}

async function post<T>(url: string, token: string | undefined, body: string, contentType?: string): Promise<T> {
	const response = await fetch(url, {method: 'POST', headers: headers(token, contentType), body});
	const text = await response.text();
	if (!response.ok) {
		throw new Error(`POST ${new URL(url).pathname} answered ${response.status}: ${text}`);
	}

	return JSON.parse(text) as T;
}

export async function createRun(url: string, token: string | undefined, body: CreateRunBody): Promise<string> {
	const created = await post<CreatedRun>(new URL('/api/runs', url).href, token, JSON.stringify(body));
	return created.runId;
}

/**
 * Posts `lines` as one batch (a JSON array) to a run: `run` is a runId, or a body for a new run. A string
 * line is an INFO message.
 */
export async function ingest(
	url: string,
	token: string | undefined,
	run: string | CreateRunBody,
	lines: IngestLine[],
): Promise<IngestResult & {runId: string}> {
	const runId = typeof run === 'string' ? run : await createRun(url, token, run);
	const records = lines.map((line) => (typeof line === 'string' ? {level: 'INFO', message: line} : line));
	const result = await post<IngestResult>(
		new URL(`/api/runs/${encodeURIComponent(runId)}/logs`, url).href,
		token,
		JSON.stringify(records),
	);
	return {...result, runId};
}

export async function finishRun(
	url: string,
	token: string | undefined,
	runId: string,
	result: RunResult = 'succeeded',
): Promise<void> {
	await post(new URL(`/api/runs/${encodeURIComponent(runId)}/finish`, url).href, token, JSON.stringify({result}));
}

/**
 * `ingest` to an existing run on a connection of its own. For tests that restart a server on the same port:
 * fetch's pool may hand out a keep-alive socket to the old server that it has not yet seen closed.
 */
export async function ingestOnNewConnection(url: string, token: string | undefined, runId: string, lines: string[]): Promise<IngestResult> {
	const body = JSON.stringify(lines.map((message) => ({level: 'INFO', message})));
	return new Promise((resolve, reject) => {
		const request = http.request(
			new URL(`/api/runs/${encodeURIComponent(runId)}/logs`, url),
			{method: 'POST', agent: false, headers: {...headers(token), 'content-length': Buffer.byteLength(body)}},
			(response) => {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk: string) => (text += chunk));
				response.on('end', () => {
					if (response.statusCode === 200) {
						resolve(JSON.parse(text) as IngestResult);
					} else {
						reject(new Error(`POST /api/runs/${runId}/logs answered ${response.statusCode}: ${text}`));
					}
				});
			},
		);
		request.on('error', reject);
		request.end(body);
	});
}
