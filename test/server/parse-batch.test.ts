import {describe, expect, it} from 'vitest';
import {MAX_MESSAGE_BYTES, parseBatch} from '../../source/server/ingest/parse-batch.js';

const now = new Date('2026-11-22T10:00:00.000Z');

describe('parseBatch', () => {
	it('reads NDJSON, JSON arrays and one object, as told, normalizing levels and times', () => {
		const ndjson = '{"level":"warning","message":"a","timestamp":1700000000000}\r\n\n{"level":"info","message":"b","taskId":"t1"}';
		expect(parseBatch(ndjson, 'ndjson', 'automation', now)).toEqual([
			{level: 'WARN', message: 'a', timestamp: '2023-11-14T22:13:20.000Z'},
			{level: 'INFO', message: 'b', timestamp: now.toISOString(), childId: 't1'},
		]);
		expect(parseBatch('[{"level":"critical","message":"c","artifactId":"x","stream":"stderr","metadata":{"a":1}}]', 'json', 'pipeline', now)).toEqual([
			{level: 'FATAL', message: 'c', timestamp: now.toISOString(), childId: 'x', stream: 'stderr', metadata: {a: 1}},
		]);
		expect(parseBatch('{"level":"ERROR","message":"one"}', 'json', 'automation', now)).toHaveLength(1);
	});

	it('keeps control characters for the reader edge to neutralize, and cuts only past 1 MB', () => {
		expect(parseBatch('[{"level":"INFO","message":"\\u001b[31mred"}]', 'json', 'automation', now)[0]!.message).toBe('\u001B[31mred');
		const exact = 'a'.repeat(MAX_MESSAGE_BYTES);
		expect(parseBatch(JSON.stringify([{level: 'INFO', message: exact}]), 'json', 'automation', now)[0]!.message).toBe(exact);
		const over = parseBatch(JSON.stringify([{level: 'INFO', message: `${exact}€`}]), 'json', 'automation', now)[0]!.message;
		expect(over.startsWith(exact)).toBe(true);
		expect(over).toMatch(/ …\[truncated by dbtail: 1048579 bytes, kept 1048576\]$/);
	});

	it.each<[string, 'json' | 'ndjson', RegExp]>([
		['{"level":"INFO","message":"x"}\n[1]', 'ndjson', /^line 2: expected a JSON object/],
		['[{"level":5,"message":"x"}]', 'json', /^record 1: unknown level 5/],
		['[{"level":"INFO","message":"x","stream":7}]', 'json', /^record 1: "stream" must be a string/],
		['   ', 'ndjson', /no log lines/],
		['[', 'json', /^body: not valid JSON/],
	])('refuses %s', (body, type, message) => {
		expect(() => parseBatch(body, type, 'automation', now)).toThrow(message);
	});
});
