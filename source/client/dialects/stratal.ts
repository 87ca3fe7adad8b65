import {compact, inline, parseObject, text, toIsoTime, toLevel} from './fields.js';
import type {Decoded, Decoder, MessageText, SseMessage} from './types.js';

/**
 * Stratal (seed 003): events named `log`, data `{job_run_id, task_run_id, timestamp, level, stream,
 * message, task_name}`, lower-case levels, no ids. Other named events (`ping`, `connected`) carry no logs;
 * a `log` event in another shape is unreadable here and shown as the generic reading.
 */
export const decodeStratal: Decoder = (message: SseMessage, receivedAt: number, messageText: MessageText = text): Decoded => {
	if (message.event !== 'log' && message.event !== undefined) {
		return {kind: 'ignore'};
	}

	// A `log` event is a line by its name: text that is not Stratal's JSON is still shown (the generic reading).
	const body = parseObject(message.data);
	if (!body || body.message === undefined) {
		return {kind: 'unreadable'};
	}

	const taskRunId = inline(body.task_run_id);
	return {
		kind: 'record',
		record: compact({
			id: inline(message.id),
			runId: inline(body.job_run_id),
			timestamp: toIsoTime(body.timestamp, receivedAt),
			level: toLevel(body.level),
			message: messageText(body.message),
			taskId: inline(body.task_name) ?? taskRunId,
			stream: inline(body.stream),
			metadata: taskRunId ? {taskRunId} : undefined,
		}),
	};
};
