import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {RecordSequencer, type SequencerHost} from '../../source/client/record-sequencer.js';
import {SseParser, type ParsedEvent} from '../../source/client/sse-parser.js';
import {DIALECTS, type Dialect} from '../../source/client/types.js';
import {LEVELS} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {isSafeInline, isSafeText} from '../../source/protocol/sanitize.js';
import {fuzz, fuzzTimeoutMs} from './fuzz-settings.js';

/*
 * The SSE parser and every dialect under random and mutated frames: whatever a server sends, split
 * wherever the network splits it, nothing throws, the same events come out however the bytes were split,
 * memory stays bounded, and every record that reaches a printer is clean.
 */

type Out = Array<['event', ParsedEvent] | ['id', string] | ['retry', number] | ['overflow']>;

function parse(chunks: string[], maxChars?: number): Out {
	const out: Out = [];
	const parser = new SseParser(
		{
			onEvent: (event) => out.push(['event', event]),
			onIdOnly: (id) => out.push(['id', id]),
			onRetry: (ms) => out.push(['retry', ms]),
			onOverflow: () => out.push(['overflow']),
		},
		maxChars,
	);
	for (const chunk of chunks) {
		parser.feed(chunk);
	}

	return out;
}

const field = fc.constantFrom('data', 'id', 'event', 'retry', '', 'dat', 'DATA', 'data ', 'ïd');
const ending = fc.constantFrom('\n', '\r', '\r\n');
const value = fc.oneof(
	fc.string({unit: 'binary', maxLength: 40}),
	fc.constantFrom(
		'{"type":"log","data":{"id":"1","seq":1,"runId":"r-1","timestamp":"2026-11-22T10:30:00.000Z","level":"INFO","message":"x"}}',
		'{"type":"status","status":"connected","epoch":"e","heartbeatMs":1}',
		'{"type":"status","status":"completed","result":"nope"}',
		'{"type":"error","error":{"code":"slow-consumer","message":"\u001B[2J"}}',
		'{"message":"\u001B]52;c;x\u0007","level":"warning","timestamp":1e30,"taskId":"\u202E"}',
		'{"job_run_id":"j","message":"m","level":"ERROR"}',
		'{"pipeline":"p","date":"Sep 22 2025 at 08:54 AM","message":"d"}',
		'{"a":{"b":{"c":[1,2,{"d":null}]}}}',
		'12345678901',
		'[1,2,3]',
		'\u0000',
		'',
	),
);
const line = fc.oneof(
	{weight: 6, arbitrary: fc.tuple(field, fc.constantFrom(':', ': ', ''), value).map(([name, colon, text]) => `${name}${colon}${text}`)},
	{weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 20}).map((text) => `:${text}`)},
	{weight: 2, arbitrary: fc.constant('')},
);
const stream = fc
	.tuple(fc.boolean(), fc.array(fc.tuple(line, ending), {maxLength: 60}))
	.map(([bom, lines]) => `${bom ? '\uFEFF' : ''}${lines.map(([text, end]) => text + end).join('')}`);

/** Splits between code points, as a UTF-8 decoder hands text over. */
function splitAt(text: string, cuts: number[]): string[] {
	const points = Array.from(text);
	const at = [...new Set(cuts.map((cut) => cut % (points.length + 1)))].sort((a, b) => a - b);
	const chunks: string[] = [];
	let from = 0;
	for (const cut of at) {
		chunks.push(points.slice(from, cut).join(''));
		from = cut;
	}

	chunks.push(points.slice(from).join(''));
	return chunks;
}

function decodeAll(events: ParsedEvent[], dialect: Dialect | undefined): LogRecord[] {
	const records: LogRecord[] = [];
	const host: SequencerHost = {
		deliver: (record) => records.push(record),
		duplicate() {},
		event() {},
		dialectDetected() {},
		fill: async () => [],
		gapFilled() {},
		notice() {},
		reconnect() {},
	};
	const sequencer = new RecordSequencer(host, false, dialect);
	for (const event of events) {
		sequencer.push(1, event);
	}

	return records;
}

function clean(record: LogRecord): boolean {
	const inlineFields = [record.id, record.runId, record.automationId, record.taskId, record.pipelineId, record.artifactId, record.stream];
	return (
		typeof record.message === 'string' &&
		isSafeText(record.message) &&
		LEVELS.includes(record.level) &&
		!Number.isNaN(Date.parse(record.timestamp)) &&
		inlineFields.every((text) => text === undefined || isSafeInline(text))
	);
}

describe('fuzz: the SSE parser and the dialects', () => {
	it('gives the same events however the stream is split', () => {
		fc.assert(
			fc.property(stream, fc.array(fc.nat(), {maxLength: 30}), (text, cuts) => {
				expect(parse(splitAt(text, cuts))).toEqual(parse([text]));
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('turns any stream into clean records in every dialect, and detection, without throwing', () => {
		fc.assert(
			fc.property(stream, fc.constantFrom<Dialect | undefined>(undefined, ...DIALECTS), (text, dialect) => {
				const events = parse([text]).flatMap((item) => (item[0] === 'event' ? [item[1]] : []));
				const records = decodeAll(events, dialect);
				expect(records.every((record) => clean(record))).toBe(true);
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('mutated real frames: records still clean, nothing thrown', () => {
		const frame = `id: 7\nretry: 100\ndata: {"type":"log","data":{"id":"7","seq":3,"runId":"r-1","timestamp":"2026-11-22T10:30:00.000Z","level":"INFO","message":"hello"}}\n\n`;
		const mutation = fc.tuple(fc.nat(frame.length), fc.nat(4), fc.string({unit: 'binary', maxLength: 4}));
		fc.assert(
			fc.property(fc.array(mutation, {minLength: 1, maxLength: 8}), fc.constantFrom<Dialect | undefined>(undefined, 'dbtail'), (mutations, dialect) => {
				let text = frame;
				for (const [at, remove, insert] of mutations) {
					text = text.slice(0, at) + insert + text.slice(at + remove);
				}

				const events = parse([text]).flatMap((item) => (item[0] === 'event' ? [item[1]] : []));
				expect(decodeAll(events, dialect).every((record) => clean(record))).toBe(true);
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);

	it('holds no more than its limit of an unending line or event, and says so', () => {
		fc.assert(
			fc.property(fc.integer({min: 1, max: 50}), fc.boolean(), (pieces, asData) => {
				const count = pieces * 10;
				const chunk = asData ? 'data: 0123456789\n' : '0123456789';
				const out = parse(Array.from({length: count}, () => chunk), 1000);
				// Data lines join with LF: n lines of 10 hold 11n - 1 characters; an unended line holds 10n.
				const held = asData ? count * 11 - 1 : count * 10;
				expect(out.some((item) => item[0] === 'overflow')).toBe(held > 1000);
				expect(out.filter((item) => item[0] === 'event')).toEqual([]);
			}),
			fuzz,
		);
	}, fuzzTimeoutMs);
});
