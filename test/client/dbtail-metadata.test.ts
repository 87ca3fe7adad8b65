import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {copyDbtailRecord, normalizeDbtailRecord} from '../../source/client/dialects/dbtail.js';
import {isPlainJson, isSafeInline, isSafeText} from '../../source/protocol/sanitize.js';
import {rawText, text, type Json} from '../../source/client/dialects/fields.js';

/*
 * A record with metadata (a databasin server's) is kept as parsed when that is clean, instead of copied:
 * the record, and so each `--json` line, must be what the copy would have been, byte for byte.
 */

const word = fc.oneof(fc.constantFrom('', 'x', 'extract', 'Ü東', '\u001B[31m', 'a\nb', 'tab\there', '\u202E', '__proto__'), fc.string({maxLength: 6}));
const json: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
	value: fc.oneof({depthSize: 'small'}, word, fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), {maxLength: 3}), fc.dictionary(word, tie('value'), {maxKeys: 3})),
})).value;

const FIELDS = ['id', 'seq', 'runId', 'timestamp', 'level', 'message', 'automationId', 'taskId', 'pipelineId', 'artifactId', 'stream'] as const;
const record = fc
	.record(
		{
			id: fc.constantFrom('7', '', '\u0007'),
			seq: fc.constant(7),
			runId: fc.constantFrom('r-1', ''),
			timestamp: fc.constantFrom('2026-01-15T08:00:00.000Z', '2026-01-15T08:00:00Z'),
			level: fc.constantFrom('INFO', 'WARN', 'warning'),
			message: word,
			automationId: word,
			taskId: word,
			pipelineId: word,
			artifactId: word,
			stream: word,
		},
		{requiredKeys: ['timestamp', 'level', 'message']},
	)
	.chain((fields) =>
		fc.tuple(
			fc.shuffledSubarray(FIELDS.filter((key) => key in fields), {minLength: FIELDS.filter((key) => key in fields).length}),
			fc.dictionary(word, json, {minKeys: 1, maxKeys: 4}),
			fc.boolean(),
		).map(([order, metadata, shuffle]) => {
			const keys = shuffle ? order : FIELDS.filter((key) => key in fields);
			const raw: Json = {};
			for (const key of keys) {
				raw[key] = fields[key];
			}

			raw.metadata = JSON.parse(JSON.stringify(metadata));
			return raw;
		}),
	);

describe('a dbtail-dialect record with metadata', () => {
	it('is the record its copy would be, field order included, read for a terminal or as sent', () => {
		fc.assert(
			fc.property(record, fc.constantFrom(undefined, '9'), fc.boolean(), (raw, id, asSent) => {
				const messageText = asSent ? rawText : text;
				const expected = JSON.stringify(copyDbtailRecord(JSON.parse(JSON.stringify(raw)) as Json, id, 0, messageText));
				expect(JSON.stringify(normalizeDbtailRecord(raw, id, 0, messageText))).toBe(expected);
				// As decodeDbtail reads it: told whether the JSON it came from holds anything to sanitize.
				const again = JSON.parse(JSON.stringify(raw)) as Json;
				expect(JSON.stringify(normalizeDbtailRecord(again, id, 0, messageText, isPlainJson(JSON.stringify(raw))))).toBe(expected);
			}),
			{numRuns: 3000},
		);
	});

	it('is told by isPlainJson only when every string in the JSON is safe as text and inline', () => {
		const strings = (value: unknown): string[] =>
			typeof value === 'string'
				? [value]
				: typeof value === 'object' && value !== null
					? Object.entries(value).flatMap(([key, item]) => [key, ...strings(item)])
					: [];
		fc.assert(
			fc.property(json, (value) => {
				const line = JSON.stringify(value);
				if (isPlainJson(line)) {
					expect(strings(value).every((text) => isSafeText(text) && isSafeInline(text))).toBe(true);
				}
			}),
			{numRuns: 3000},
		);
		expect(isPlainJson('{"message":"a\\nb"}')).toBe(false);
		expect(isPlainJson('{"message":"\u007F"}')).toBe(false);
		expect(isPlainJson('{"message":"caf\u00e9"}')).toBe(false);
		expect(isPlainJson('{"message":"plain words (ok)"}')).toBe(true);
	});

	it('keeps clean metadata as parsed, without a copy', () => {
		const raw = {id: '1', timestamp: '2026-01-15T08:00:00.000Z', level: 'INFO', message: 'm', metadata: {step: 'load', rows: [1, {a: 'b'}]}};
		expect(normalizeDbtailRecord(raw, undefined, 0).metadata).toBe(raw.metadata);
	});
});
