import type {ErrorEvent, StatusEvent} from '../../protocol/events.js';
import type {LogRecord} from '../../protocol/record.js';

/** One event as the SSE parser hands it over: `event` is undefined for the default type. */
export type SseMessage = {event?: string; id?: string; data: string};

/** What a dialect makes of one SSE event. Records are already normalized and sanitized. */
export type Decoded =
	| {kind: 'record'; record: LogRecord}
	| {kind: 'status'; status: StatusEvent}
	| {kind: 'error'; error: ErrorEvent['error']}
	| {kind: 'ignore'};

/** `receivedAt` stands in for the time of records that carry none. */
export type Decoder = (message: SseMessage, receivedAt: number) => Decoded;
