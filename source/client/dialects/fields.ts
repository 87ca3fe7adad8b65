import {parseLevel, type Level} from '../../protocol/levels.js';
import type {LogRecord} from '../../protocol/record.js';
import {isSafeInline, isSafeText, sanitizeInline, sanitizeText} from '../../protocol/sanitize.js';

/*
 * Field mapping shared by every dialect. This is the one place where text from the wire becomes a
 * LogRecord, so it is also the one place where control characters are neutralized.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `a.b.c` lookups for fields such as Datashop's `meta.timestamp`. */
export function getPath(object: Json, path: string): unknown {
	let value: unknown = object;
	for (const key of path.split('.')) {
		if (!isObject(value)) {
			return undefined;
		}

		value = value[key];
	}

	return value;
}

/** The first of `paths` that holds something other than null/undefined/''. */
export function pick(object: Json, paths: readonly string[]): unknown {
	for (const path of paths) {
		const value = path.includes('.') ? getPath(object, path) : object[path];
		if (value !== undefined && value !== null && value !== '') {
			return value;
		}
	}

	return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
// Datashop's display dates: `Sep 22 2025 at 08:54 AM`. They carry no zone; read as UTC.
const DISPLAY_DATE = /^([A-Za-z]{3})[a-z]*\.? (\d{1,2}),? (\d{4})(?: at)? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])?$/;

function fromDisplayDate(text: string): number | undefined {
	const match = DISPLAY_DATE.exec(text.trim());
	const month = match ? MONTHS.indexOf(match[1]!.toLowerCase()) : -1;
	if (!match || month < 0) {
		return undefined;
	}

	let hours = Number(match[4]) % (match[7] ? 12 : 24);
	if (match[7]?.toLowerCase() === 'pm') {
		hours += 12;
	}

	return Date.UTC(Number(match[3]), month, Number(match[2]), hours, Number(match[5]), Number(match[6] ?? 0));
}

/**
 * Any time a server may send: ISO text, epoch seconds or milliseconds (number or digits), or a display
 * date. Falls back to `receivedAt` so a record always has a time.
 */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** What toIsoTime returns; dbtail servers send it as is, and checking is cheaper than parsing and printing. */
export function isCanonicalTime(text: string): boolean {
	return CANONICAL_ISO.test(text);
}

export function toIsoTime(value: unknown, receivedAt: number): string {
	if (typeof value === 'string' && CANONICAL_ISO.test(value)) {
		return value;
	}

	let ms: number | undefined;
	if (typeof value === 'number' || (typeof value === 'string' && /^\d{9,16}(\.\d+)?$/.test(value))) {
		const n = Number(value);
		// Below 1e11 it is seconds (1e11 s is the year 5138; 1e11 ms is 1973).
		ms = n < 1e11 ? n * 1000 : n;
	} else if (typeof value === 'string') {
		const parsed = Date.parse(value);
		ms = Number.isNaN(parsed) ? fromDisplayDate(value) : parsed;
	}

	return new Date(ms !== undefined && Number.isFinite(ms) ? ms : receivedAt).toISOString();
}

export function toLevel(value: unknown): Level {
	return parseLevel(value) ?? 'INFO';
}

export function isEmptyObject(value: unknown): boolean {
	if (!isObject(value)) {
		return false;
	}

	for (const _ in value) {
		return false;
	}

	return true;
}

export function inline(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') {
		return undefined;
	}

	const string = typeof value === 'string' ? value : String(value);
	return isSafeInline(string) ? string : sanitizeInline(string);
}

export function text(value: unknown): string {
	const string = rawText(value);
	return isSafeText(string) ? string : sanitizeText(string);
}

/** A message as the server sent it: only for output that escapes control characters itself (JSON). */
export function rawText(value: unknown): string {
	if (value === undefined || value === null) {
		return '';
	}

	return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Metadata strings are sanitized too: a component may show them. */
export function cleanMetadata(value: unknown): Record<string, unknown> | undefined {
	if (!isObject(value)) {
		return undefined;
	}

	for (const _ in value) {
		// Not empty: worth a copy.
		return deepClean(value) as Record<string, unknown>;
	}

	return undefined;
}

/**
 * True when deepClean would give back an equal value, so the value itself can be kept: every key safe on
 * one line, every string safe as text (known already when `plain`: see isPlainJson), and no `__proto__` key
 * (a copy cannot own one).
 */
export function isCleanJson(value: unknown, plain = false): boolean {
	if (typeof value === 'string') {
		return plain || isSafeText(value);
	}

	if (typeof value !== 'object' || value === null) {
		return true;
	}

	if (Array.isArray(value)) {
		for (const item of value) {
			if (!isCleanJson(item, plain)) {
				return false;
			}
		}

		return true;
	}

	for (const key in value) {
		if (key === '__proto__' || (!plain && !isSafeInline(key)) || !isCleanJson((value as Json)[key], plain)) {
			return false;
		}
	}

	return true;
}

function deepClean(value: unknown): unknown {
	if (typeof value === 'string') {
		return sanitizeText(value);
	}

	if (Array.isArray(value)) {
		return value.map((item) => deepClean(item));
	}

	if (isObject(value)) {
		const out: Json = {};
		for (const [key, item] of Object.entries(value)) {
			out[sanitizeInline(key)] = deepClean(item);
		}

		return out;
	}

	return value;
}

/**
 * Builds a record without undefined fields, so records compare and print the same whatever dialect made
 * them, and in one field order. (Deleting keys afterwards would turn every record into a slow dictionary.)
 */
export function compact(fields: LogRecord): LogRecord {
	const record = {} as Record<string, unknown>;
	for (const key in fields) {
		const value = fields[key as keyof LogRecord];
		if (value !== undefined) {
			record[key] = value;
		}
	}

	return record as LogRecord;
}

/** Parses JSON data; undefined when it is not a JSON object. */
export function parseObject(data: string): Json | undefined {
	const first = data.trimStart()[0];
	if (first !== '{') {
		return undefined;
	}

	try {
		const value: unknown = JSON.parse(data);
		return isObject(value) ? value : undefined;
	} catch {
		return undefined;
	}
}
