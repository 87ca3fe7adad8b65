import {isPlainJson, isSafeInline, isSafeText} from '../../protocol/sanitize.js';
import {ERROR_CODES, type ErrorCode, type StatusEvent} from '../../protocol/events.js';
import {RUN_RESULTS, type LogRecord, type RunResult} from '../../protocol/record.js';
import {LEVELS, type Level} from '../../protocol/levels.js';
import {
	cleanMetadata,
	compact,
	inline,
	isCanonicalTime,
	isCleanJson,
	isEmptyObject,
	isObject,
	parseObject,
	text,
	toIsoTime,
	toLevel,
	type Json,
} from './fields.js';
import type {Decoded, Decoder, MessageText, SseMessage} from './types.js';

/** The dbtail/databasin dialect (docs/protocol.md): `{"type": "log" | "status" | "error", ...}` on unnamed events. */

const STRING_FIELDS = new Set(['id', 'runId', 'automationId', 'taskId', 'pipelineId', 'artifactId', 'stream']);

/** The order compact() writes a record's fields in (a `--json` line shows them in this order). */
const FIELD_RANK: Record<string, number> = {
	id: 0,
	seq: 1,
	runId: 2,
	timestamp: 3,
	level: 4,
	message: 5,
	automationId: 6,
	taskId: 7,
	pipelineId: 8,
	artifactId: 9,
	stream: 10,
	metadata: 11,
};

/**
 * True when the parsed object already is a clean LogRecord: known fields only, right types, canonical
 * time and level, and no text a terminal would act on. Our own server sends exactly that, so the common
 * case skips building a copy (this is the per-line cost of `dbtail follow`). With metadata in it (a
 * databasin server's records) it is kept only when a copy would be the same record: its fields in
 * compact()'s order, its id its own, no empty field, and its metadata clean as it is.
 */
function isCleanRecord(raw: Json, id: string | undefined, plain: boolean): raw is LogRecord {
	let rank = -1;
	let ordered = true;
	let metadata = false;
	/** An empty string field, which compact() leaves out. */
	let empty = false;
	for (const key in raw) {
		const value = raw[key];
		if (key === 'message') {
			if (typeof value !== 'string' || (!plain && !isSafeText(value))) {
				return false;
			}
		} else if (STRING_FIELDS.has(key)) {
			if (typeof value !== 'string' || (!plain && !isSafeInline(value))) {
				return false;
			}

			empty ||= value === '';
		} else if (key === 'seq') {
			if (typeof value !== 'number') {
				return false;
			}
		} else if (key === 'timestamp') {
			if (typeof value !== 'string' || !isCanonicalTime(value)) {
				return false;
			}
		} else if (key === 'level') {
			if (!LEVELS.includes(value as Level)) {
				return false;
			}
		} else if (key !== 'metadata') {
			return false;
		} else if (!isEmptyObject(value)) {
			if (!isObject(value)) {
				return false;
			}

			metadata = true;
		}

		ordered &&= FIELD_RANK[key]! > rank;
		rank = FIELD_RANK[key]!;
	}

	if (typeof raw.message !== 'string' || typeof raw.timestamp !== 'string' || typeof raw.level !== 'string') {
		return false;
	}

	return !metadata || (ordered && !empty && (raw.id !== undefined || !id) && isCleanJson(raw.metadata, plain));
}

/**
 * A stored record as the server sends it, in `log` events and history pages. `plain`: the JSON it was
 * parsed from holds no text to sanitize (isPlainJson), so its strings need no test one by one.
 */
export function normalizeDbtailRecord(raw: Json, id: string | undefined, receivedAt: number, messageText: MessageText = text, plain = false): LogRecord {
	if (isCleanRecord(raw, id, plain)) {
		if (raw.id === undefined && id) {
			// The SSE id is the server's text like any other: it is shown (a --json line, a notice) too.
			raw.id = inline(id);
		}

		return raw;
	}

	return copyDbtailRecord(raw, id, receivedAt, messageText);
}

/** The record made anew from what the server sent, each field read and sanitized (normalizeDbtailRecord keeps a clean one as it is). */
export function copyDbtailRecord(raw: Json, id: string | undefined, receivedAt: number, messageText: MessageText = text): LogRecord {
	return compact({
		id: inline(raw.id) ?? inline(id),
		seq: typeof raw.seq === 'number' ? raw.seq : undefined,
		runId: inline(raw.runId),
		timestamp: toIsoTime(raw.timestamp, receivedAt),
		level: toLevel(raw.level),
		message: messageText(raw.message),
		automationId: inline(raw.automationId),
		taskId: inline(raw.taskId),
		pipelineId: inline(raw.pipelineId),
		artifactId: inline(raw.artifactId),
		stream: inline(raw.stream),
		metadata: cleanMetadata(raw.metadata),
	});
}

function status(body: Json): StatusEvent | undefined {
	const runId = inline(body.runId);
	switch (body.status) {
		case 'connected': {
			return {
				type: 'status',
				status: 'connected',
				stream: inline(body.stream) ?? '',
				runId,
				epoch: String(body.epoch ?? ''),
				heartbeatMs: typeof body.heartbeatMs === 'number' ? body.heartbeatMs : 15_000,
				serverTime: String(body.serverTime ?? ''),
			};
		}

		case 'run-started': {
			return runId ? {type: 'status', status: 'run-started', runId} : undefined;
		}

		case 'completed': {
			const result = RUN_RESULTS.includes(body.result as RunResult) ? (body.result as RunResult) : 'failed';
			const durationMs = typeof body.durationMs === 'number' ? body.durationMs : 0;
			return {type: 'status', status: 'completed', runId: runId ?? '', result, durationMs};
		}

		case 'truncated': {
			const purged = typeof body.purged === 'number' ? body.purged : undefined;
			return {type: 'status', status: 'truncated', oldestId: inline(body.oldestId) ?? '', purged};
		}

		case 'shutdown': {
			return {type: 'status', status: 'shutdown'};
		}

		default: {
			return undefined;
		}
	}
}

export const decodeDbtail: Decoder = (message: SseMessage, receivedAt: number, messageText: MessageText = text): Decoded => {
	const body = parseObject(message.data);
	if (!body || typeof body.type !== 'string') {
		return {kind: 'unreadable'};
	}

	if (body.type === 'log' && isObject(body.data)) {
		return {kind: 'record', record: normalizeDbtailRecord(body.data, message.id, receivedAt, messageText, isPlainJson(message.data))};
	}

	if (body.type === 'status') {
		const event = status(body);
		return event ? {kind: 'status', status: event} : {kind: 'ignore'};
	}

	if (body.type === 'error' && isObject(body.error)) {
		const code = ERROR_CODES.includes(body.error.code as ErrorCode) ? (body.error.code as ErrorCode) : 'internal';
		const recoverable = body.error.recoverable === true;
		return {kind: 'error', error: {code, message: inline(body.error.message) ?? code, recoverable}};
	}

	// A type this client does not know yet: a later server's addition, not a log line.
	return {kind: 'ignore'};
};

/** True when an event looks like the dbtail dialect: a JSON object with a known `type`. */
export function looksDbtail(message: SseMessage): boolean {
	if (message.event && message.event !== 'message') {
		return false;
	}

	const body = parseObject(message.data);
	return (
		body !== undefined &&
		((body.type === 'log' && isObject(body.data)) || body.type === 'status' || (body.type === 'error' && isObject(body.error)))
	);
}
