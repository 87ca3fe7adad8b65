import type {LogRecord, RunResult} from './record.js';

/**
 * What travels in an SSE `data:` line of the dbtail dialect. All events use the default SSE event
 * type (`message`) and carry their kind in `type`.
 */
export type StatusEvent =
	| {
			type: 'status';
			status: 'connected';
			stream: string;
			runId?: string;
			epoch: string;
			heartbeatMs: number;
			serverTime: string;
	  }
	| {type: 'status'; status: 'run-started'; runId: string}
	| {type: 'status'; status: 'completed'; runId: string; result: RunResult; durationMs: number}
	| {type: 'status'; status: 'truncated'; oldestId: string; purged?: number}
	| {type: 'status'; status: 'shutdown'};

export const ERROR_CODES = [
	'slow-consumer',
	'unauthorized',
	'forbidden',
	'not-found',
	'bad-request',
	'too-many-connections',
	'internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export type ErrorEvent = {
	type: 'error';
	error: {code: ErrorCode; message: string; recoverable: boolean};
};

export type LogEvent = {type: 'log'; data: LogRecord};

export type WireEvent = StatusEvent | ErrorEvent | LogEvent;

/** The JSON body of a non-200 answer from the dbtail server. */
export type ErrorBody = {error: {code: ErrorCode; message: string}};
