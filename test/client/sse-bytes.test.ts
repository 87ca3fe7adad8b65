import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {SseParser} from '../../source/client/sse-parser.js';

/*
 * feedBytes (what the connection feeds: raw UTF-8, split anywhere, inside a character too) must read a
 * stream exactly as feed reads its decoded text: same events, ids, retries, in the same order.
 */

type Out = unknown[];

function parser(out: Out, maxChars?: number): SseParser {
	return new SseParser(
		{
			onEvent: (event) => out.push(['event', event]),
			onIdOnly: (id) => out.push(['id', id]),
			onRetry: (ms) => out.push(['retry', ms]),
			onOverflow: () => out.push(['overflow']),
		},
		maxChars,
	);
}

function asText(text: string): Out {
	const out: Out = [];
	parser(out).feed(text);
	return out;
}

function asBytes(text: string, cuts: number[]): Out {
	const out: Out = [];
	const bytes = Buffer.from(text);
	const reader = parser(out);
	let from = 0;
	for (const cut of [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b)) {
		reader.feedBytes(bytes.subarray(from, cut));
		from = cut;
	}

	reader.feedBytes(bytes.subarray(from));
	return out;
}

const field = fc.constantFrom('data', 'id', 'event', 'retry', '', 'dat', 'data ', 'ïd');
const value = fc.oneof(
	fc.string({unit: 'grapheme', maxLength: 30}),
	fc.constantFrom('{"type":"log","data":{"message":"Überprüfung ✓ 東京 😀"}}', '12', '', ' lead', '\u0000'),
);
const line = fc.oneof(
	{weight: 6, arbitrary: fc.tuple(field, fc.constantFrom(':', ': ', ''), value).map(([name, colon, text]) => `${name}${colon}${text}`)},
	{weight: 1, arbitrary: fc.string({maxLength: 10}).map((text) => `:${text}`)},
	{weight: 2, arbitrary: fc.constant('')},
);

describe('SseParser.feedBytes', () => {
	it('reads LF streams, with a BOM or not, split anywhere, as feed reads the text', () => {
		fc.assert(
			fc.property(fc.boolean(), fc.array(line, {maxLength: 40}), fc.array(fc.nat(), {maxLength: 8}), (bom, lines, cuts) => {
				const text = `${bom ? '\uFEFF' : ''}${lines.map((text) => text.replaceAll(/[\r\n]/g, '')).join('\n')}\n`;
				expect(asBytes(text, cuts)).toEqual(asText(text));
			}),
			{numRuns: 2000},
		);
	});

	it('reads CR and CRLF streams as feed does, from the chunk the first CR is in', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(line, fc.constantFrom('\n', '\r', '\r\n')), {maxLength: 40}), fc.array(fc.nat(), {maxLength: 8}), (lines, cuts) => {
				const text = lines.map(([text, end]) => text.replaceAll(/[\r\n]/g, '') + end).join('');
				expect(asBytes(text, cuts)).toEqual(asText(text));
			}),
			{numRuns: 2000},
		);
	});

	it('decodes a character split between chunks, and a line carried over several chunks', () => {
		const out: Out = [];
		const reader = parser(out);
		const bytes = Buffer.from('data: Ü東😀 end\n\n');
		for (const byte of bytes) {
			reader.feedBytes(Buffer.from([byte]));
		}

		expect(out).toEqual([['event', {data: 'Ü東😀 end'}]]);
	});

	it('reports a line that never ends past the limit, and reads no more', () => {
		const out: Out = [];
		const reader = parser(out, 10);
		reader.feedBytes(Buffer.from('data: 0123456789'));
		reader.feedBytes(Buffer.from('0123456789'));
		reader.feedBytes(Buffer.from('0123456789\n\ndata: x\n\n'));
		expect(out).toEqual([['overflow']]);
	});
});
