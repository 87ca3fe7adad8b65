import {inline, parseObject, text} from './fields.js';
import {normalizeFields} from './generic.js';
import type {Decoded, Decoder, MessageText, SseMessage} from './types.js';

/**
 * Datashop (seed 002): `id: n`, `retry:`, data `{"date": "Sep 22 2025 at 08:54 AM", "level", "pipeline",
 * "status", "message"}`, sometimes `isoTime`, `logLevel`, `meta.timestamp` (ms). The precise times win over
 * the display date, which has minute precision and no zone.
 */
const DATASHOP_TIME = ['isoTime', 'meta.timestamp', 'timestamp', 'date'] as const;

export const decodeDatashop: Decoder = (message: SseMessage, receivedAt: number, messageText: MessageText = text): Decoded => {
	const body = parseObject(message.data);
	if (!body) {
		return {kind: 'unreadable'};
	}

	const record = normalizeFields(body, message.id, receivedAt, DATASHOP_TIME, messageText);
	const status = inline(body.status);
	if (status) {
		record.metadata = {...record.metadata, status};
	}

	return {kind: 'record', record};
};

export function looksDatashop(message: SseMessage): boolean {
	const body = parseObject(message.data);
	return body !== undefined && (typeof body.pipeline === 'string' || / at \d{1,2}:\d{2}/.test(String(body.date ?? '')));
}
