import http from 'node:http';
import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {ApiError} from '../../source/server/api-error.js';
import {MAX_MESSAGE_BYTES, parseBatch} from '../../source/server/ingest/parse-batch.js';
import {LEVELS} from '../../source/protocol/levels.js';
import {createRun} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {fuzz, fuzzTimeoutMs} from './fuzz-settings.js';

/*
 * Ingest under whatever a producer (or an attacker on a token) sends: random NDJSON and JSON, deep nesting,
 * invalid UTF-8, a 10 MB line, a 100 MB body. The parser either gives valid lines or refuses with a 400
 * that names the line; over HTTP every refusal is a clear 4xx and a refused batch stores nothing.
 */

const level = fc.oneof(fc.constantFrom('INFO', 'warn', 'Warning', 'err', 'FATAL', 'trace', 'bogus', ''), fc.string({maxLength: 8}), fc.integer());
const lineObject = fc.record(
	{
		level,
		message: fc.oneof(fc.string({unit: 'binary', maxLength: 60}), fc.integer(), fc.constant(null)),
		timestamp: fc.oneof(fc.date({noInvalidDate: false}).map((date) => (Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString())), fc.integer(), fc.string({maxLength: 10})),
		taskId: fc.oneof(fc.constantFrom('extract', 'bad id!', ''), fc.string({maxLength: 10})),
		artifactId: fc.constantFrom('csv', 'x'),
		stream: fc.string({maxLength: 70}),
		metadata: fc.oneof(fc.jsonValue({maxDepth: 4}), fc.constant({})),
	},
	{requiredKeys: []},
);
const row = fc.oneof(
	{weight: 5, arbitrary: lineObject.map((value) => JSON.stringify(value))},
	{weight: 1, arbitrary: fc.jsonValue({maxDepth: 3}).map((value) => JSON.stringify(value))},
	{weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 30})},
	{weight: 1, arbitrary: fc.constantFrom('', '   ', '{', '[]', '{"level":"INFO","message":"ok"}')},
);

function check(body: string, format: 'json' | 'ndjson', kind: 'automation' | 'pipeline'): void {
	try {
		const lines = parseBatch(body, format, kind);
		for (const line of lines) {
			expect(LEVELS).toContain(line.level);
			expect(typeof line.message).toBe('string');
			expect(Buffer.byteLength(line.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES + 100);
			expect(Number.isNaN(Date.parse(line.timestamp))).toBe(false);
		}
	} catch (error) {
		// A refusal the producer can act on: a 400 whose message says where.
		expect(error).toBeInstanceOf(ApiError);
		expect((error as ApiError).status).toBe(400);
		expect((error as ApiError).message).toMatch(/^(line \d+|record \d+|body|the batch has no log lines)/);
	}
}

describe('fuzz: the ingest parser', () => {
	it('gives valid lines or a 400 naming the line, for any NDJSON', () => {
		fc.assert(
			fc.property(fc.array(row, {maxLength: 20}), fc.constantFrom('\n', '\r\n'), fc.constantFrom<'automation' | 'pipeline'>('automation', 'pipeline'), (rows, end, kind) => {
				check(rows.join(end), 'ndjson', kind);
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('gives valid lines or a 400 naming the record, for any JSON body', () => {
		fc.assert(
			fc.property(fc.oneof(fc.array(lineObject, {maxLength: 10}), lineObject, fc.jsonValue({maxDepth: 3})), (value) => {
				check(JSON.stringify(value), 'json', 'automation');
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('reads deep nesting without a stack overflow', () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		check(`{"level":"INFO","message":"m","metadata":{"a":${deep}}}`, 'ndjson', 'automation');
		check(deep, 'json', 'automation');
		expect(() => parseBatch(`{"level":"INFO","message":"m","metadata":{"a":${deep}}}`, 'ndjson', 'automation')).toThrow(
			/line 1: "metadata" is nested deeper than 32 levels/,
		);
	});
});

describe('ingest over HTTP, with bodies no producer should send', () => {
	const fixture = useServerFixture();

	async function post(url: string, body: Buffer | string, contentType = 'application/x-ndjson'): Promise<{status: number; text: string}> {
		const response = await fetch(url, {method: 'POST', headers: {'content-type': contentType}, body});
		return {status: response.status, text: await response.text()};
	}

	async function stored(url: string, runId: string): Promise<Array<{message: string}>> {
		const page = (await (await fetch(`${url}/api/logs?currentRunID=${runId}&limit=10000`)).json()) as {logs: Array<{message: string}>};
		return page.logs;
	}

	it('keeps a 10 MB line, cut to 1 MB with a marker; reads invalid UTF-8 as U+FFFD; stores nothing of a refused batch', async () => {
		const server = await fixture().start();
		const runId = await createRun(server.url, undefined, {automationId: 'fuzz'});
		const logs = `${server.url}/api/runs/${runId}/logs`;
		const huge = JSON.stringify({level: 'INFO', message: 'y'.repeat(10 * 1024 * 1024)});
		expect((await post(logs, huge)).status).toBe(200);
		const invalid = Buffer.concat([Buffer.from('{"level":"INFO","message":"bad '), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(' bytes"}\n')]);
		expect((await post(logs, invalid)).status).toBe(200);
		const refused = await post(logs, '{"level":"INFO","message":"first"}\n{"level":"LOUD","message":"second"}\n');
		expect(refused.status).toBe(400);
		expect(refused.text).toContain('line 2');
		// Storing metadata serializes it: 100,000 levels deep was a stack overflow and a 500.
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		const nested = await post(logs, `{"level":"INFO","message":"deep","metadata":{"a":${deep}}}\n`);
		expect(nested.status, nested.text).toBe(400);
		expect(nested.text).toContain('nested deeper than 32 levels');

		const messages = (await stored(server.url, runId)).map((record) => record.message);
		expect(messages).toHaveLength(2);
		expect(messages[0]).toMatch(/^y{1000}.* …\[truncated by dbtail: 10485760 bytes, kept 1048576\]$/);
		expect(messages[1]).toBe('bad \uFFFD\uFFFD\uFFFD bytes');
	});

	it('refuses a 100 MB body with 413 as it arrives, without reading it all, and stores nothing', async () => {
		const server = await fixture().start();
		const runId = await createRun(server.url, undefined, {automationId: 'fuzz'});
		const url = new URL(`${server.url}/api/runs/${runId}/logs`);
		const line = Buffer.from(`${JSON.stringify({level: 'INFO', message: 'z'.repeat(1000)})}\n`);
		// Chunked, with no Content-Length: the server can only count what arrives.
		const status = await new Promise<number>((resolve, reject) => {
			const request = http.request(url, {method: 'POST', headers: {'content-type': 'application/x-ndjson'}}, (response) => {
				response.resume();
				resolve(response.statusCode ?? 0);
			});
			request.on('error', (error: NodeJS.ErrnoException) => {
				// The server may close the socket before the client has written everything: that is the point.
				if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') {
					reject(error);
				}
			});
			let sent = 0;
			const pump = () => {
				while (sent < 100 * 1024 * 1024 && !request.destroyed) {
					sent += line.length;
					if (!request.write(line)) {
						request.once('drain', pump);
						return;
					}
				}

				request.end();
			};

			pump();
		});
		expect(status).toBe(413);
		expect(await stored(server.url, runId)).toEqual([]);
	});
});
