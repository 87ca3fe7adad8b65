import type {LogRecord} from '../../protocol/record.js';
import {cleanMetadata, compact, inline, parseObject, pick, text, toIsoTime, toLevel, type Json} from './fields.js';
import {isKeepAlive} from './keep-alive.js';
import {logfmtLevel} from './logfmt.js';
import type {Decoded, Decoder, MessageText, SseMessage} from './types.js';

/** Any other SSE endpoint: JSON data mapped by common field names; data that is not JSON is the message. */

export const MESSAGE_FIELDS = ['message', 'msg', 'text', 'description', 'log', 'line'] as const;
export const LEVEL_FIELDS = ['level', 'logLevel', 'severity', 'lvl', 'loglevel'] as const;
export const TIME_FIELDS = ['timestamp', 'time', 'ts', 'isoTime', '@timestamp', 'date', 'meta.timestamp'] as const;
const TASK_FIELDS = ['taskId', 'task', 'task_name', 'taskName', 'component', 'logger'] as const;
const RUN_FIELDS = ['runId', 'run_id', 'job_run_id', 'jobRunId'] as const;

/** Maps common field names; `extra` lets a dialect fill the fields only it knows. */
export function normalizeFields(
	body: Json,
	id: string | undefined,
	receivedAt: number,
	timeFields: readonly string[] = TIME_FIELDS,
	messageText: MessageText = text,
): LogRecord {
	const message = pick(body, MESSAGE_FIELDS);
	return compact({
		id: inline(id),
		runId: inline(pick(body, RUN_FIELDS)),
		timestamp: toIsoTime(pick(body, timeFields), receivedAt),
		level: toLevel(pick(body, LEVEL_FIELDS)),
		// With no message field, the whole object is the message: better than an empty line.
		message: messageText(message ?? JSON.stringify(body)),
		automationId: inline(body.automationId),
		taskId: inline(pick(body, TASK_FIELDS)),
		pipelineId: inline(pick(body, ['pipelineId', 'pipeline'])),
		artifactId: inline(body.artifactId),
		stream: inline(body.stream),
		metadata: cleanMetadata(body.metadata ?? body.meta),
	});
}

/**
 * Any event is a line, but keep-alives (`event: ping`) are life, not lines, and another named event
 * (`event: progress`) says what it is: `progress: 50%`. Plain text is the message, at the level a logfmt
 * `level=` in it names (else INFO).
 */
export const decodeGeneric: Decoder = (message: SseMessage, receivedAt: number, messageText: MessageText = text): Decoded => {
	if (isKeepAlive(message.event)) {
		return {kind: 'ignore'};
	}

	const body = parseObject(message.data);
	const record = body
		? normalizeFields(body, message.id, receivedAt, TIME_FIELDS, messageText)
		: compact({
				id: inline(message.id),
				timestamp: new Date(receivedAt).toISOString(),
				level: logfmtLevel(message.data) ?? 'INFO',
				message: messageText(message.data),
			});
	const named = message.event !== undefined && message.event !== 'message' && message.event !== 'log' ? inline(message.event) : undefined;
	if (named) {
		record.message = `${named}: ${record.message}`;
	}

	return {kind: 'record', record};
};
