import {setImmediate as nextTurn} from 'node:timers/promises';
import {LEVELS, parseLevel} from '../../protocol/levels.js';
import {ENTITY_ID} from '../../protocol/record.js';
import {ENTITY_ID_RULE} from '../../protocol/streams.js';
import {parseRecordTime} from '../../protocol/time.js';
import {ApiError, badRequest} from '../api-error.js';
import type {EntityKind, NewLine} from '../store/types.js';
import {jsonItems, type ItemProblem} from './json-items.js';

/*
 * Reads an ingest body (NDJSON or a JSON array) into validated lines. Any bad line rejects the whole
 * batch with a message that names the line and the field, so a producer can fix it and nothing is half
 * stored. A message over 1 MB is not an error: it is cut with a visible marker, so the line is kept.
 *
 * No body holds the event loop for long: the line count, each line's nesting and its number of values are
 * checked in one pass before anything is parsed, and lines are parsed a slice at a time, other requests
 * served in between.
 */

/** Lines in one batch: storing 541,200 tiny lines in one SQLite transaction held the event loop 2.2 s. */
export const MAX_BATCH_LINES = 10_000;

/** Values in one line (an object of 1.3 million keys takes 1.5 s to parse and serialize). */
export const MAX_LINE_VALUES = 10_000;

/**
 * Values in one batch (counted by their separators: a line of level and message has 3), so storing it is
 * bounded too: 10,000 lines with 150 metadata values each (1.5 million) held the loop 2 s in one SQLite
 * transaction, serializing the metadata and reading it back for the feed. 200,000 leave 10,000 lines
 * about 15 metadata values each.
 */
export const MAX_BATCH_VALUES = 200_000;

/**
 * Metadata deeper than this is refused (storing it means serializing it, which recurses): checked on the
 * text, before parsing, as the line's depth (the line object is one level more).
 */
export const MAX_METADATA_DEPTH = 32;

/** How long a slice of parsing may run before other requests get their turn. */
const SLICE_MS = 8;

export const MAX_MESSAGE_BYTES = 1024 * 1024;

function truncateMessage(message: string): string {
	const bytes = Buffer.byteLength(message, 'utf8');
	if (bytes <= MAX_MESSAGE_BYTES) {
		return message;
	}

	// Cutting at a byte offset can split a character: drop the replacement character that leaves.
	const head = Buffer.from(message, 'utf8').subarray(0, MAX_MESSAGE_BYTES).toString('utf8').replace(/\uFFFD$/, '');
	return `${head} …[truncated by dbtail: ${bytes} bytes, kept ${MAX_MESSAGE_BYTES}]`;
}

function readTimestamp(value: unknown, where: string, now: Date): string {
	if (value === undefined || value === null) {
		return now.toISOString();
	}

	const date = parseRecordTime(value);
	if (!date) {
		throw badRequest(
			`${where}: "timestamp" ${JSON.stringify(value)} is not an RFC 3339 time with a zone (2026-01-31T12:00:00Z) or epoch milliseconds, in the years 1970 to 9999`,
		);
	}

	return date.toISOString();
}

function readChild(item: Record<string, unknown>, kind: EntityKind, where: string): string | undefined {
	const own = kind === 'automation' ? 'taskId' : 'artifactId';
	const other = kind === 'automation' ? 'artifactId' : 'taskId';
	if (item[other] !== undefined && item[other] !== null) {
		throw badRequest(`${where}: "${other}" does not belong in a ${kind} run (use "${own}")`);
	}

	const value = item[own];
	if (value === undefined || value === null) {
		return undefined;
	}

	if (typeof value !== 'string' || !ENTITY_ID.test(value)) {
		throw badRequest(`${where}: "${own}" must be ${ENTITY_ID_RULE}`);
	}

	return value;
}


/**
 * PostgreSQL's text cannot hold U+0000 and SQLite's can: refused on both, so a batch means the same on
 * either store (metadata keeps it: stored as JSON text, it is the escape \\u0000).
 */
export function refuseNul(text: string, where: string, field: string): void {
	if (text.includes('\u0000')) {
		throw badRequest(`${where}: "${field}" holds a NUL character (U+0000), which the store cannot keep`);
	}
}

function parseLine(item: unknown, kind: EntityKind, where: string, now: Date): NewLine {
	if (typeof item !== 'object' || item === null || Array.isArray(item)) {
		throw badRequest(`${where}: expected a JSON object with "level" and "message"`);
	}

	const record = item as Record<string, unknown>;
	if (record.level === undefined) {
		throw badRequest(`${where}: "level" is missing (one of ${LEVELS.join(', ')})`);
	}

	const level = parseLevel(record.level);
	if (!level) {
		throw badRequest(`${where}: unknown level ${JSON.stringify(record.level)} (use one of ${LEVELS.join(', ')})`);
	}

	if (typeof record.message !== 'string') {
		throw badRequest(`${where}: "message" must be a string`);
	}

	refuseNul(record.message, where, 'message');

	const line: NewLine = {level, message: truncateMessage(record.message), timestamp: readTimestamp(record.timestamp, where, now)};
	const childId = readChild(record, kind, where);
	if (childId !== undefined) {line.childId = childId;}
	if (record.stream !== undefined && record.stream !== null) {
		if (typeof record.stream !== 'string' || record.stream.length > 64) {
			throw badRequest(`${where}: "stream" must be a string of at most 64 characters, such as "stdout"`);
		}

		refuseNul(record.stream, where, 'stream');
		line.stream = record.stream;
	}

	if (record.metadata !== undefined && record.metadata !== null) {
		if (typeof record.metadata !== 'object' || Array.isArray(record.metadata)) {
			throw badRequest(`${where}: "metadata" must be a JSON object`);
		}

		// Bounded like a message: one record must fit the clients' event limit with room to spare.
		const size = Buffer.byteLength(JSON.stringify(record.metadata));
		if (size > MAX_MESSAGE_BYTES) {
			throw badRequest(`${where}: "metadata" is ${size} bytes as JSON; at most ${MAX_MESSAGE_BYTES}`);
		}

		line.metadata = record.metadata as Record<string, unknown>;
	}

	return line;
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw badRequest(`${where}: not valid JSON (${(error as Error).message})`);
	}
}

const itemLimits = () => ({maxDepth: MAX_METADATA_DEPTH + 1, maxValues: MAX_LINE_VALUES, maxItems: MAX_BATCH_LINES, batch: {valuesLeft: MAX_BATCH_VALUES}});

function tooMany(): ApiError {
	return new ApiError(413, 'bad-request', `the batch has more than ${MAX_BATCH_LINES} lines: send smaller batches`);
}

function refusal(where: string, problem: ItemProblem['problem']): ApiError {
	switch (problem) {
		case 'deep': {
			return badRequest(`${where}: nested deeper than ${MAX_METADATA_DEPTH + 1} levels ("metadata" may nest ${MAX_METADATA_DEPTH})`);
		}

		case 'batch-values': {
			return new ApiError(413, 'bad-request', `the batch has more than ${MAX_BATCH_VALUES} JSON values (${where} is past them): send smaller batches`);
		}

		case 'values': {
			return badRequest(`${where}: more than ${MAX_LINE_VALUES} JSON values in one line`);
		}

		case 'items': {
			return tooMany();
		}

		default: {
			return badRequest(`${where}: not valid JSON (${problem === 'trailing' ? 'text after the array' : 'the array does not end'})`);
		}
	}
}

/**
 * The texts of the lines, each checked for depth and values, with what to call each in a message and in
 * a JSON syntax error (a body that is one object, not an array, is "body" there, as it always was).
 */
function lineTexts(body: string, format: 'json' | 'ndjson'): Array<[text: string, where: string, syntaxWhere: string]> {
	const limits = itemLimits();
	if (format === 'json') {
		const items = jsonItems(body, limits);
		if ('problem' in items) {throw refusal(items.problem === 'trailing' || items.problem === 'unterminated' ? 'body' : `record ${items.item}`, items.problem);}
		const whole = items.length === 1 && items[0]![0] === 0 && items[0]![1] === body.length;
		return items.map(([start, end], index) => [body.slice(start, end), `record ${index + 1}`, whole ? 'body' : `record ${index + 1}`]);
	}

	// Row by row, not body.split: a body of 541,200 rows is refused at row 10,001 without making them all.
	const texts: Array<[string, string, string]> = [];
	for (let start = 0, index = 0; start <= body.length; index++) {
		const newline = body.indexOf('\n', start);
		const end = newline === -1 ? body.length : newline;
		const row = body.slice(start, end);
		start = end + 1;
		if (row.trim() === '') {continue;}
		if (texts.length >= MAX_BATCH_LINES) {throw tooMany();}
		const where = `line ${index + 1}`;
		const checked = jsonItems(row, {...limits, maxItems: Number.POSITIVE_INFINITY});
		if ('problem' in checked) {throw refusal(where, checked.problem);}
		texts.push([row, where, where]);
	}

	return texts;
}

/**
 * Parses a body as its Content-Type said: NDJSON, or JSON (an array of lines, or one line); never sniffed.
 * A slice of lines at a time, yielding to other requests between slices.
 */
export async function parseBatch(body: string, format: 'json' | 'ndjson', kind: EntityKind, now = new Date()): Promise<NewLine[]> {
	const texts = lineTexts(body, format);
	if (texts.length === 0) {
		throw badRequest('the batch has no log lines: send NDJSON or a JSON array of {level, message}');
	}

	const lines: NewLine[] = [];
	let sliceStart = performance.now();
	for (const [text, where, syntaxWhere] of texts) {
		lines.push(parseLine(parseJson(text, syntaxWhere), kind, where, now));
		if (performance.now() - sliceStart > SLICE_MS) {
			await nextTurn();
			sliceStart = performance.now();
		}
	}

	return lines;
}
