import type {ErrorEvent, StatusEvent} from '../../protocol/events.js';
import type {LogRecord} from '../../protocol/record.js';

/** One event as the SSE parser hands it over: `event` is undefined for the default type. */
export type SseMessage = {event?: string; id?: string; data: string};

/** What a dialect makes of one SSE event. Records are already normalized and sanitized. */
export type Decoded =
	| {kind: 'record'; record: LogRecord}
	| {kind: 'status'; status: StatusEvent}
	| {kind: 'error'; error: ErrorEvent['error']}
	/** Known not to be a record (a keep-alive, a status this client does not know). */
	| {kind: 'ignore'}
	/** Meant as a record, but not in a shape this dialect reads: shown as the generic reading instead. */
	| {kind: 'unreadable'};

/**
 * How a record's message is read from the wire: neutralized for a terminal (`text` in fields.ts, the
 * default) or as sent (`rawText`), for output that escapes every control character itself (`--json`).
 */
export type MessageText = (value: unknown) => string;

/** `receivedAt` stands in for the time of records that carry none. */
export type Decoder = (message: SseMessage, receivedAt: number, messageText?: MessageText) => Decoded;
