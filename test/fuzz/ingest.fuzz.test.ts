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

const level = fc.oneof(
	fc.constantFrom('INFO', 'warn', 'Warning', 'err', 'FATAL', 'trace', 'bogus', '', 'constructor', '__proto__', 'toString', 'hasOwnProperty'),
	fc.string({maxLength: 8}),
	fc.integer(),
);
/** Times a producer might send, and the ones that were wrongly accepted (`"0"`, 2026-02-30, 8.64e15...). */
const timestamp = fc.oneof(
	fc.date({noInvalidDate: false}).map((date) => (Number.isNaN(date.getTime()) ? 'not a date' : date.toISOString())),
	fc.integer(),
	fc.double(),
	fc.string({maxLength: 10}),
	fc.constantFrom('0', '1', '99999', '2026-02-30T00:00:00Z', '2026-02-30', '2026-01-01T10:00:00', '2026-01-01T10:00:00+01:00', 8.64e15, -1, 253_402_300_799_999),
);
/** Text with NUL and other control characters mixed in: PostgreSQL refused U+0000 with a 500. */
const text = (maxLength: number) => fc.oneof(fc.string({unit: 'binary', maxLength}), fc.string({maxLength}).map((value) => `${value}\u0000${value}`));
const lineObject = fc.record(
	{
		level,
		message: fc.oneof(text(60), fc.integer(), fc.constant(null)),
		timestamp,
		taskId: fc.oneof(fc.constantFrom('extract', 'bad id!', '', '.', '..', '...', '.hidden'), fc.string({maxLength: 10})),
		artifactId: fc.constantFrom('csv', 'x', '.'),
		stream: fc.oneof(fc.string({maxLength: 70}), text(10)),
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

async function check(body: string, format: 'json' | 'ndjson', kind: 'automation' | 'pipeline'): Promise<void> {
	try {
		const lines = await parseBatch(body, format, kind);
		for (const line of lines) {
			expect(LEVELS).toContain(line.level);
			expect(typeof line.message).toBe('string');
			expect(Buffer.byteLength(line.message)).toBeLessThanOrEqual(MAX_MESSAGE_BYTES + 100);
			// Both stores keep what one keeps: no NUL; times as 24-character ISO strings of 1970 to 9999 (they sort as text).
			expect(`${line.message}${line.stream ?? ''}`).not.toContain('\u0000');
			expect(line.timestamp).toMatch(/^(19[7-9]\d|[2-9]\d{3})-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
			expect(new Date(line.timestamp).toISOString()).toBe(line.timestamp);
			if (line.childId !== undefined) {expect(line.childId).not.toMatch(/^\.+$/);}
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
			fc.asyncProperty(fc.array(row, {maxLength: 20}), fc.constantFrom('\n', '\r\n'), fc.constantFrom<'automation' | 'pipeline'>('automation', 'pipeline'), async (rows, end, kind) => {
				await check(rows.join(end), 'ndjson', kind);
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('gives valid lines or a 400 naming the record, for any JSON body', () => {
		fc.assert(
			fc.asyncProperty(fc.oneof(fc.array(lineObject, {maxLength: 10}), lineObject, fc.jsonValue({maxDepth: 3})), async (value) => {
				await check(JSON.stringify(value), 'json', 'automation');
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('gives valid lines or a 400 for any JSON text cut up and spliced (the item splitter never takes a wrong split for good)', async () => {
		const good = JSON.stringify([{level: 'INFO', message: 'a,[{"}]', metadata: {b: [1, {c: '\\"'}]}}, {level: 'WARN', message: ']'}]);
		await fc.assert(
			fc.asyncProperty(fc.integer({min: 0, max: good.length}), fc.integer({min: 0, max: good.length}), fc.constantFrom('', ',', '[', ']', '{', '}', '"', '\\', ' '), async (from, to, insert) => {
				await check(`${good.slice(0, Math.min(from, to))}${insert}${good.slice(Math.max(from, to))}`, 'json', 'automation');
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('reads deep nesting without a stack overflow', async () => {
		const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
		await check(`{"level":"INFO","message":"m","metadata":{"a":${deep}}}`, 'ndjson', 'automation');
		await check(deep, 'json', 'automation');
		await expect(parseBatch(`{"level":"INFO","message":"m","metadata":{"a":${deep}}}`, 'ndjson', 'automation')).rejects.toThrow(
			/line 1: nested deeper than 33 levels/,
		);
		await expect(parseBatch(`{"level":"INFO","message":"m","metadata":${'{"a":'.repeat(33)}1${'}'.repeat(33)}}`, 'ndjson', 'automation')).rejects.toThrow(
			/line 1: nested deeper than 33 levels \("metadata" may nest 32\)/,
		);
		expect(await parseBatch(`{"level":"INFO","message":"m","metadata":${'{"a":'.repeat(32)}1${'}'.repeat(32)}}`, 'ndjson', 'automation')).toHaveLength(1);
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
		expect(nested.text).toContain('nested deeper than 33 levels');

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
