import http from 'node:http';
import {describe, expect, it} from 'vitest';
import type {Catalog, HistoryAnswer} from '../../source/protocol/api.js';
import {parseCorsOrigin} from '../../source/server/http/origin-policy.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from './server-fixture.js';

/*
 * What a browser's headers say about who sent a request, mimicked from Node: Origin, Sec-Fetch-Site and
 * preflights. The real browser's side of it is test/browser/forged-writes.test.ts.
 */

type Answer = {status: number; headers: http.IncomingHttpHeaders; body: {error?: {code: string; message: string}} & Record<string, unknown>};

async function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {method, headers}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			// A stream that was let through: its head is enough.
			if (response.headers['content-type']?.startsWith('text/event-stream')) {
				request.destroy();
				resolve({status: response.statusCode!, headers: response.headers, body: {}});
				return;
			}

			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => {
				const json = response.headers['content-type']?.startsWith('application/json') && text !== '';
				resolve({status: response.statusCode!, headers: response.headers, body: json ? (JSON.parse(text) as Answer['body']) : {}});
			});
		});
		request.on('error', reject);
		request.end(body);
	});
}

const JSON_TYPE = {'content-type': 'application/json'};
const PAGE = 'http://localhost:3000';

describe('parseCorsOrigin', () => {
	it('takes scheme://host[:port] and gives it as a browser writes it; refuses anything else with the reason', () => {
		expect(parseCorsOrigin('http://localhost:3000')).toBe('http://localhost:3000');
		expect(parseCorsOrigin('HTTPS://Logs.Example.COM:443/')).toBe('https://logs.example.com');
		expect(parseCorsOrigin('http://[::1]:8000')).toBe('http://[::1]:8000');
		const refused: Array<[string, RegExp]> = [
			['*', /list each origin/],
			['localhost:3000', /is not an origin/],
			['null', /is not an origin/],
			['ftp://host', /http or https/],
			['http://localhost:3000/app', /no path/],
			['http://localhost:3000?x=1', /no path/],
			['http://user@localhost:3000', /no user/],
			['', /is not an origin/],
		];
		for (const [text, reason] of refused) {
			expect(() => parseCorsOrigin(text), text).toThrow(reason);
		}
	});
});

describe('origin policy', () => {
	const current = useServerFixture();

	it('on an open server refuses with 403 every request a web page sent (Origin, Sec-Fetch-Site), reads too, and stores nothing', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		await ingest(server.url, undefined, runId, ['real']);
		const writes: Array<[string, string]> = [
			['/api/runs', '{"automationId":"forged"}'],
			[`/api/runs/${runId}/logs`, '{"level":"ERROR","message":"forged"}'],
			[`/api/runs/${runId}/finish`, '{"result":"failed"}'],
		];
		const pages: Array<[Record<string, string>, RegExp]> = [
			[{origin: 'http://127.0.0.1:9999', 'sec-fetch-site': 'same-site'}, /^Origin http:\/\/127\.0\.0\.1:9999 is refused: /],
			[{origin: 'https://evil.example'}, /^Origin https:\/\/evil\.example is refused: /],
			[{origin: 'null', 'sec-fetch-site': 'cross-site'}, /^Origin null is refused/],
			[{'sec-fetch-site': 'cross-site'}, /^a cross-site request from a web page \(Sec-Fetch-Site\) with no allowed Origin is refused/],
			[{'sec-fetch-site': 'same-site'}, /^a same-site request from a web page/],
		];
		for (const [headers, message] of pages) {
			for (const [path, body] of writes) {
				const answer = await send(`${server.url}${path}`, 'POST', {...JSON_TYPE, ...headers}, body);
				expect(answer.status, `${JSON.stringify(headers)} POST ${path}`).toBe(403);
				expect(answer.body.error?.code).toBe('forbidden');
				expect(answer.body.error?.message).toMatch(message);
			}

			for (const path of ['/api/catalog', '/api/logs', '/api/logs/stream', '/api/automations/etl/logs?stream=true', '/healthz']) {
				const answer = await send(`${server.url}${path}`, 'GET', headers);
				expect(answer.status, `${JSON.stringify(headers)} GET ${path}`).toBe(403);
				expect(answer.headers['access-control-allow-origin']).toBeUndefined();
			}
		}

		expect((await send(`${server.url}/api/catalog`, 'GET', {origin: 'https://evil.example'})).body.error?.message).toBe(
			'Origin https://evil.example is refused: no web page may use this server (dbtail serve --cors-origin lets pages of an origin read)',
		);

		// What a person or a program sends is let through: a typed URL (none), the server's own pages (same-origin), no header.
		for (const headers of [{}, {'sec-fetch-site': 'none'}, {'sec-fetch-site': 'same-origin'}] as Array<Record<string, string>>) {
			expect((await send(`${server.url}/api/catalog`, 'GET', headers)).status, JSON.stringify(headers)).toBe(200);
		}

		expect((await send(`${server.url}/api/runs`, 'POST', JSON_TYPE, '{"automationId":"real"}')).status).toBe(201);
		const catalog = (await (await fetch(`${server.url}/api/catalog`)).json()) as Catalog;
		expect(catalog.automations.map((entry) => [entry.id, entry.currentRun?.status])).toEqual([['etl', 'running'], ['real', 'running']]);
		const logs = ((await (await fetch(`${server.url}/api/logs`)).json()) as HistoryAnswer).logs;
		expect(logs.map((record) => record.message)).toEqual(['real']);
	});

	it('with --cors-origin lets that origin read (Allow-Origin, Vary), never write, and answers its preflights', async () => {
		const server = await current().start({corsOrigins: [PAGE, 'https://other.example']});
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		for (const headers of [{origin: PAGE}, {origin: PAGE, 'sec-fetch-site': 'same-site'}, {origin: PAGE, 'sec-fetch-site': 'cross-site'}] as Array<Record<string, string>>) {
			const read = await send(`${server.url}/api/catalog`, 'GET', headers);
			expect(read.status).toBe(200);
			expect(read.headers['access-control-allow-origin']).toBe(PAGE);
			expect(read.headers.vary).toBe('Origin');
			expect(read.headers['access-control-expose-headers']).toBeUndefined();
			expect(read.headers['access-control-allow-credentials']).toBeUndefined();
		}

		const stream = await send(`${server.url}/api/automations/etl/logs?stream=true`, 'GET', {origin: PAGE, accept: 'text/event-stream'});
		expect([stream.status, stream.headers['content-type'], stream.headers['access-control-allow-origin']]).toEqual([200, 'text/event-stream; charset=utf-8', PAGE]);
		// A refusal a page can read: the error says why.
		const missing = await send(`${server.url}/api/automations/nope/logs?stream=true`, 'GET', {origin: PAGE});
		expect([missing.status, missing.headers['access-control-allow-origin'], missing.body.error?.code]).toEqual([404, PAGE, 'not-found']);
		// Responses that depend on Origin say so even when the request had none (a shared cache must not mix them).
		expect((await send(`${server.url}/api/catalog`, 'GET', {})).headers.vary).toBe('Origin');
		expect((await send(`${server.url}/api/catalog`, 'GET', {origin: 'http://localhost:3001'})).status).toBe(403);

		const write = await send(`${server.url}/api/runs/${runId}/logs`, 'POST', {...JSON_TYPE, origin: PAGE}, '{"level":"INFO","message":"from a page"}');
		expect(write.status).toBe(403);
		expect(write.body.error?.message).toBe(
			'writes from web pages are refused (Origin http://localhost:3000): --cors-origin lets pages read, never write; producers send no Origin',
		);

		const preflight = await send(`${server.url}/api/logs/stream`, 'OPTIONS', {
			origin: PAGE,
			'access-control-request-method': 'GET',
			'access-control-request-headers': 'last-event-id, authorization',
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers['access-control-allow-origin']).toBe(PAGE);
		expect(preflight.headers['access-control-allow-methods']).toBe('GET');
		expect(preflight.headers['access-control-allow-headers']).toBe('Authorization, Last-Event-ID, Cache-Control, Accept');
		expect(preflight.headers['access-control-max-age']).toBe('600');
		expect(preflight.headers.vary).toBe('Origin');

		const writePreflight = await send(`${server.url}/api/runs`, 'OPTIONS', {origin: PAGE, 'access-control-request-method': 'POST'});
		expect(writePreflight.status).toBe(403);
		expect(writePreflight.headers['access-control-allow-origin']).toBeUndefined();
		expect(writePreflight.body.error?.message).toMatch(/^writes from web pages are refused/);

		const stranger = await send(`${server.url}/api/logs/stream`, 'OPTIONS', {origin: 'http://localhost:3001', 'access-control-request-method': 'GET'});
		expect(stranger.status).toBe(403);
		expect(stranger.body.error?.message).toMatch(/^Origin http:\/\/localhost:3001 is refused: only pages of http:\/\/localhost:3000, https:\/\/other.example may read/);

		// Not a preflight: what the path takes.
		const plain = await send(`${server.url}/api/runs`, 'OPTIONS', {});
		expect([plain.status, plain.headers.allow]).toEqual([204, 'POST, OPTIONS']);
		expect((await send(`${server.url}/api/nothing`, 'OPTIONS', {origin: PAGE})).status).toBe(404);
	});

	it('on a server with tokens refuses page requests too, before the token is looked at', async () => {
		const server = await current().start({tokens: [{token: 'writer', permissions: ['read', 'write']}]});
		const forged = await send(`${server.url}/api/runs`, 'POST', {...JSON_TYPE, origin: 'https://evil.example', authorization: 'Bearer writer'}, '{"automationId":"x"}');
		expect(forged.status).toBe(403);
		const answer = await send(`${server.url}/api/runs`, 'POST', {...JSON_TYPE, authorization: 'Bearer writer'}, '{"automationId":"x"}');
		expect(answer.status).toBe(201);
	});
});
