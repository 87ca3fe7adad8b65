import {describe, expect, it} from 'vitest';
import type {Catalog, HistoryAnswer} from '../../source/protocol/api.js';
import {parseMediaType} from '../../source/server/http/media-type.js';
import {createRun} from '../helpers/ingest.js';
import {useServerFixture} from './server-fixture.js';

/*
 * POST bodies must say application/json or application/x-ndjson. The three types a web page may send
 * without a CORS preflight (text/plain, form-urlencoded, multipart) are how a page forges a write; and
 * a body with no type is no longer sniffed.
 */

async function post(url: string, body: string, contentType?: string) {
	const headers: Record<string, string> = contentType === undefined ? {} : {'content-type': contentType};
	// Node's fetch would label a string body text/plain: a Uint8Array goes without a Content-Type.
	const response = await fetch(url, {method: 'POST', headers, body: new TextEncoder().encode(body)});
	return {status: response.status, body: (await response.json()) as {error?: {code: string; message: string}} & Record<string, unknown>};
}

describe('parseMediaType', () => {
	it('reads type, subtype and parameters as RFC 9110 writes them, in any case', () => {
		expect(parseMediaType('Application/JSON; Charset="UTF-8" ;q=1')).toEqual({essence: 'application/json', params: {charset: 'UTF-8', q: '1'}});
		expect(parseMediaType('application/x-ndjson')).toEqual({essence: 'application/x-ndjson', params: {}});
		expect(parseMediaType('text/plain;charset=UTF-8;')).toEqual({essence: 'text/plain', params: {charset: 'UTF-8'}});
		expect(parseMediaType('a/b; x="semi;colon \\"quoted\\""')).toEqual({essence: 'a/b', params: {x: 'semi;colon "quoted"'}});
		for (const bad of ['', 'json', 'application/', '/json', 'application/json charset=utf-8', 'application/json; charset', 'application/json; a="open', 'a b/c']) {
			expect(parseMediaType(bad), bad).toBeUndefined();
		}
	});
});

describe('ingest Content-Type', () => {
	const current = useServerFixture();

	it('refuses with 415 every POST body that is not application/json or application/x-ndjson, and stores nothing', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const endpoints: Array<[string, string]> = [
			[`${server.url}/api/runs`, '{"automationId":"forged"}'],
			[`${server.url}/api/runs/${runId}/logs`, '{"level":"ERROR","message":"forged"}'],
			[`${server.url}/api/runs/${runId}/finish`, '{"result":"failed"}'],
		];
		const refused = [undefined, 'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx', 'json', 'application/json; charset=latin1'];
		for (const [url, body] of endpoints) {
			for (const type of refused) {
				const answer = await post(url, body, type);
				expect(answer.status, `${type} to ${url}`).toBe(415);
				expect(answer.body.error?.code).toBe('bad-request');
				expect(answer.body.error?.message, `${type} to ${url}`).toMatch(/application\/json|UTF-8/);
			}
		}

		const none = await post(endpoints[1]![0], endpoints[1]![1]);
		expect(none.body.error?.message).toBe('a POST body needs Content-Type: application/json or application/x-ndjson (web pages can send other types without asking)');
		const plain = await post(endpoints[1]![0], endpoints[1]![1], 'text/plain');
		expect(plain.body.error?.message).toBe('Content-Type text/plain is refused: send application/json or application/x-ndjson (web pages can send text/plain without asking)');
		expect((await post(endpoints[0]![0], endpoints[0]![1], 'application/x-ndjson')).body.error?.message).toMatch(/^Content-Type application\/x-ndjson is refused: send application\/json/);
		expect((await post(endpoints[1]![0], endpoints[1]![1], 'application/json; charset=latin1')).body.error?.message).toBe(
			'charset latin1 is refused: bodies are UTF-8 (send charset=utf-8 or none)',
		);

		const catalog = (await (await fetch(`${server.url}/api/catalog`)).json()) as Catalog;
		expect(catalog.automations.map((entry) => [entry.id, entry.currentRun?.status])).toEqual([['etl', 'running']]);
		expect(((await (await fetch(`${server.url}/api/logs`)).json()) as HistoryAnswer).logs).toEqual([]);
	});

	it('accepts the two types in any case, with parameters, and reads each as what it says', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		expect((await post(logs, '[{"level":"INFO","message":"array"}]', 'Application/JSON; charset=UTF-8')).status).toBe(200);
		expect((await post(logs, '{"level":"INFO","message":"one"}\n{"level":"INFO","message":"two"}\n', 'APPLICATION/X-NDJSON ; charset="utf-8"')).status).toBe(200);
		// What a type says wins: a JSON array sent as NDJSON is one line that is not an object.
		expect((await post(logs, '[{"level":"INFO","message":"x"}]', 'application/x-ndjson')).body.error?.message).toMatch(/^line 1: expected a JSON object/);
		// And NDJSON sent as JSON is not JSON.
		expect((await post(logs, '{"level":"INFO","message":"a"}\n{"level":"INFO","message":"b"}', 'application/json')).body.error?.message).toMatch(/^body: not valid JSON/);
		expect((await post(`${server.url}/api/runs`, '{"pipelineId":"report"}', 'application/json;charset=utf-8')).status).toBe(201);
		expect((await post(`${server.url}/api/runs/${runId}/finish`, '{"result":"succeeded"}', 'application/json')).status).toBe(200);
		const stored = ((await (await fetch(`${server.url}/api/logs`)).json()) as HistoryAnswer).logs;
		expect(stored.map((record) => record.message)).toEqual(['array', 'one', 'two']);
	});

	it('checks the type before the run: 415 for an unknown run with a bad type, 404 with a good one', async () => {
		const server = await current().start();
		expect((await post(`${server.url}/api/runs/r-404/logs`, '{}', 'text/plain')).status).toBe(415);
		expect((await post(`${server.url}/api/runs/r-404/logs`, '{}', 'application/json')).status).toBe(404);
	});
});
