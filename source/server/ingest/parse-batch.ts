import {LEVELS, parseLevel} from '../../protocol/levels.js';
import {ENTITY_ID} from '../../protocol/record.js';
import {ENTITY_ID_RULE} from '../../protocol/streams.js';
import {badRequest} from '../api-error.js';
import type {EntityKind, NewLine} from '../store/types.js';

/*
 * Reads an ingest body (NDJSON or a JSON array) into validated lines. Any bad line rejects the whole
 * batch with a message that names the line and the field, so a producer can fix it and nothing is half
 * stored. A message over 1 MB is not an error: it is cut with a visible marker, so the line is kept.
 */

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

	const date = typeof value === 'number' ? new Date(value) : typeof value === 'string' ? new Date(value) : undefined;
	if (!date || Number.isNaN(date.getTime())) {
		throw badRequest(`${where}: "timestamp" ${JSON.stringify(value)} is not an ISO 8601 time or epoch milliseconds`);
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

/** Metadata deeper than this is refused: storing it means serializing it, which recurses. */
export const MAX_METADATA_DEPTH = 32;

/** Whether a JSON value nests deeper than `limit`, found without recursion (a hostile body can nest 100,000 deep). */
function deeperThan(value: unknown, limit: number): boolean {
	const stack: Array<[unknown, number]> = [[value, 1]];
	while (stack.length > 0) {
		const [item, depth] = stack.pop()!;
		if (typeof item !== 'object' || item === null) {
			continue;
		}

		if (depth > limit) {
			return true;
		}

		for (const child of Object.values(item)) {
			stack.push([child, depth + 1]);
		}
	}

	return false;
}

export function parseLine(item: unknown, kind: EntityKind, where: string, now: Date): NewLine {
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

	const line: NewLine = {level, message: truncateMessage(record.message), timestamp: readTimestamp(record.timestamp, where, now)};
	const childId = readChild(record, kind, where);
	if (childId !== undefined) {line.childId = childId;}
	if (record.stream !== undefined && record.stream !== null) {
		if (typeof record.stream !== 'string' || record.stream.length > 64) {
			throw badRequest(`${where}: "stream" must be a string of at most 64 characters, such as "stdout"`);
		}

		line.stream = record.stream;
	}

	if (record.metadata !== undefined && record.metadata !== null) {
		if (typeof record.metadata !== 'object' || Array.isArray(record.metadata)) {
			throw badRequest(`${where}: "metadata" must be a JSON object`);
		}

		if (deeperThan(record.metadata, MAX_METADATA_DEPTH)) {
			throw badRequest(`${where}: "metadata" is nested deeper than ${MAX_METADATA_DEPTH} levels`);
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

/** Parses a body as its Content-Type said: NDJSON, or JSON (an array of lines, or one line); never sniffed. */
export function parseBatch(body: string, format: 'json' | 'ndjson', kind: EntityKind, now = new Date()): NewLine[] {
	let lines: NewLine[];
	if (format === 'ndjson') {
		lines = [];
		const rows = body.split('\n');
		for (const [index, row] of rows.entries()) {
			if (row.trim() !== '') {
				lines.push(parseLine(parseJson(row, `line ${index + 1}`), kind, `line ${index + 1}`, now));
			}
		}
	} else {
		const parsed = parseJson(body, 'body');
		const items = Array.isArray(parsed) ? parsed : [parsed];
		lines = items.map((item, index) => parseLine(item, kind, `record ${index + 1}`, now));
	}

	if (lines.length === 0) {
		throw badRequest('the batch has no log lines: send NDJSON or a JSON array of {level, message}');
	}

	return lines;
}
