import {describe, expect, it} from 'vitest';
import {MAX_BATCH_LINES, MAX_BATCH_VALUES, MAX_LINE_VALUES, MAX_MESSAGE_BYTES, parseBatch} from '../../source/server/ingest/parse-batch.js';

const now = new Date('2026-11-22T10:00:00.000Z');

const one = async (line: Record<string, unknown>) => (await parseBatch(JSON.stringify([line]), 'json', 'automation', now))[0]!;

describe('parseBatch', () => {
	it('reads NDJSON, JSON arrays and one object, as told, normalizing levels and times', async () => {
		const ndjson = '{"level":"warning","message":"a","timestamp":1700000000000}\r\n\n{"level":"info","message":"b","taskId":"t1"}';
		expect(await parseBatch(ndjson, 'ndjson', 'automation', now)).toEqual([
			{level: 'WARN', message: 'a', timestamp: '2023-11-14T22:13:20.000Z'},
			{level: 'INFO', message: 'b', timestamp: now.toISOString(), childId: 't1'},
		]);
		expect(await parseBatch('[{"level":"critical","message":"c","artifactId":"x","stream":"stderr","metadata":{"a":1}}]', 'json', 'pipeline', now)).toEqual([
			{level: 'FATAL', message: 'c', timestamp: now.toISOString(), childId: 'x', stream: 'stderr', metadata: {a: 1}},
		]);
		expect(await parseBatch('{"level":"ERROR","message":"one"}', 'json', 'automation', now)).toHaveLength(1);
		expect(await parseBatch(' [ {"level":"INFO","message":"[,{\\"]"} , {"level":"INFO","message":"b"} ] \n', 'json', 'automation', now)).toHaveLength(2);
	});

	it('keeps control characters for the reader edge to neutralize, and cuts only past 1 MB', async () => {
		expect((await one({level: 'INFO', message: '\u001B[31mred'})).message).toBe('\u001B[31mred');
		const exact = 'a'.repeat(MAX_MESSAGE_BYTES);
		expect((await one({level: 'INFO', message: exact})).message).toBe(exact);
		const over = (await one({level: 'INFO', message: `${exact}€`})).message;
		expect(over.startsWith(exact)).toBe(true);
		expect(over).toMatch(/ …\[truncated by dbtail: 1048579 bytes, kept 1048576\]$/);
	});

	it('reads RFC 3339 times with a zone and epoch milliseconds within 1970 to 9999, as 24-character ISO times', async () => {
		const times: Array<[unknown, string]> = [
			['2024-02-29T23:59:59.123456+02:00', '2024-02-29T21:59:59.123Z'],
			['2024-01-01 10:00:00z', '2024-01-01T10:00:00.000Z'],
			['1970-01-01T00:00:00Z', '1970-01-01T00:00:00.000Z'],
			['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
			[0, '1970-01-01T00:00:00.000Z'],
			[1_700_000_000_000, '2023-11-14T22:13:20.000Z'],
		];
		for (const [timestamp, stored] of times) {
			expect((await one({level: 'INFO', message: 'm', timestamp})).timestamp, String(timestamp)).toBe(stored);
		}
	});

	it.each<[string, 'json' | 'ndjson', RegExp]>([
		['{"level":"INFO","message":"x"}\n[1]', 'ndjson', /^line 2: expected a JSON object/],
		['[{"level":5,"message":"x"}]', 'json', /^record 1: unknown level 5/],
		['[{"level":"INFO","message":"x","stream":7}]', 'json', /^record 1: "stream" must be a string/],
		['   ', 'ndjson', /no log lines/],
		['[', 'json', /^body: not valid JSON/],
		['[{"level":"INFO","message":"x"}] []', 'json', /^body: not valid JSON \(text after the array\)/],
		['[{"level":"INFO","message":"x"},]', 'json', /^record 2: not valid JSON/],
		['[{"level":"INFO","message":"x"} {"level":"INFO","message":"y"}]', 'json', /^record 1: not valid JSON/],
		// A prototype lookup found these: stored at rank -1, records without a level, a download that crashed.
		['{"level":"constructor","message":"x"}', 'ndjson', /^line 1: unknown level "constructor"/],
		['{"level":"__proto__","message":"x"}', 'ndjson', /^line 1: unknown level "__proto__"/],
		['{"level":"toString","message":"x"}', 'ndjson', /^line 1: unknown level "toString"/],
		// PostgreSQL cannot store U+0000: a 500 there, stored on SQLite; now the same 400 on both.
		['{"level":"INFO","message":"a\\u0000b"}', 'ndjson', /^line 1: "message" holds a NUL character/],
		['{"level":"INFO","message":"a","stream":"std\\u0000out"}', 'ndjson', /^line 1: "stream" holds a NUL character/],
		['{"level":"INFO","message":"x","taskId":".."}', 'ndjson', /^line 1: "taskId" must be 1 to 128/],
		['{"level":"INFO","message":"x","taskId":"."}', 'ndjson', /^line 1: "taskId" must be 1 to 128/],
	])('refuses %s', async (body, type, message) => {
		await expect(parseBatch(body, type, 'automation', now)).rejects.toThrow(message);
	});

	it.each<unknown>(['0', '1', '99999', '2026-02-30T00:00:00Z', '2026-02-30', '2026-01-01T10:00:00', '1969-12-31T23:59:59Z', '10000-01-01T00:00:00Z', 8.64e15, -1, 253_402_300_800_000])(
		'refuses the timestamp %j, naming the line and field',
		async (timestamp) => {
			await expect(parseBatch(JSON.stringify({level: 'INFO', message: 'x', timestamp}), 'ndjson', 'automation', now)).rejects.toThrow(
				/^line 1: "timestamp" .* is not an RFC 3339 time with a zone .* or epoch milliseconds, in the years 1970 to 9999$/,
			);
		},
	);

	it('refuses before parsing: nesting past the metadata depth, a line of too many values, a batch of too many lines', async () => {
		// 16 MB of `[` took JSON.parse 1 to 4 s to refuse, the event loop held throughout.
		const started = performance.now();
		await expect(parseBatch('['.repeat(16 * 1024 * 1024), 'json', 'automation', now)).rejects.toThrow(/^record 1: nested deeper than 33 levels/);
		await expect(parseBatch(`{"level":"INFO","message":"m","metadata":${'{"a":'.repeat(40)}1${'}'.repeat(40)}}`, 'ndjson', 'automation', now)).rejects.toThrow(
			/^line 1: nested deeper than 33 levels \("metadata" may nest 32\)/,
		);
		expect(performance.now() - started).toBeLessThan(1000);
		const wide = Object.fromEntries(Array.from({length: MAX_LINE_VALUES}, (_, index) => [`k${index}`, index]));
		await expect(parseBatch(JSON.stringify([{level: 'INFO', message: 'm'}, {level: 'INFO', message: 'm', metadata: wide}]), 'json', 'automation', now)).rejects.toThrow(
			/^record 2: more than 10000 JSON values in one line/,
		);
		const line = '{"level":"INFO","message":"m"}';
		expect(await parseBatch(Array.from({length: MAX_BATCH_LINES}, () => line).join('\n'), 'ndjson', 'automation', now)).toHaveLength(MAX_BATCH_LINES);
		// 10,000 lines of 150 metadata values held the loop 2 s while SQLite stored them: the batch's values are bounded too.
		const rich = JSON.stringify({level: 'INFO', message: 'm', metadata: Object.fromEntries(Array.from({length: 150}, (_, index) => [`k${index}`, index]))});
		const heavy = await parseBatch(Array.from({length: 10_000}, () => rich).join('\n'), 'ndjson', 'automation', now).catch((error: unknown) => error);
		expect(heavy).toMatchObject({status: 413, message: expect.stringMatching(new RegExp(`^the batch has more than ${MAX_BATCH_VALUES} JSON values \\(line 658 is past them\\): send smaller batches$`))});
		for (const [body, type] of [[Array.from({length: MAX_BATCH_LINES + 1}, () => line).join('\n'), 'ndjson'], [`[${Array.from({length: MAX_BATCH_LINES + 1}, () => line).join(',')}]`, 'json']] as const) {
			const refused = await parseBatch(body, type, 'automation', now).catch((error: unknown) => error);
			expect(refused).toMatchObject({status: 413, message: 'the batch has more than 10000 lines: send smaller batches'});
		}
	});
});
