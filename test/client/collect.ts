import {LogStream} from '../../source/client/log-stream.js';
import type {ConnectionState, LogStreamOptions, StreamNotice} from '../../source/client/types.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {Waiters} from './waiters.js';

/** A LogStream with everything it emitted kept for assertions, and waits with deadlines (no sleeps). */
export type Collected = {
	stream: LogStream;
	records: LogRecord[];
	states: ConnectionState[];
	notices: StreamNotice[];
	/** Resolves when `test` holds (checked after every event); rejects after `ms` with what was seen. */
	until(test: () => boolean, ms?: number, what?: string): Promise<void>;
	/** Resolves with the final state (completed or failed). */
	ended(ms?: number): Promise<ConnectionState>;
};

export function collect(options: LogStreamOptions): Collected {
	const stream = new LogStream({reconnect: {minDelayMs: 1, maxDelayMs: 20}, ...options});
	const records: LogRecord[] = [];
	const states: ConnectionState[] = [];
	const notices: StreamNotice[] = [];
	const waiters = new Waiters();
	const check = () => {
		waiters.check();
	};

	stream.on('record', (record) => {
		records.push(record);
		check();
	});
	stream.on('state', (state) => {
		states.push(state);
		check();
	});
	stream.on('notice', (notice) => {
		notices.push(notice);
		check();
	});

	const until = async (test: () => boolean, ms = 20_000, what = 'condition') =>
		waiters.until(test, ms, () => {
			const last = states.at(-1);
			return `timed out waiting for ${what}: ${records.length} records, state ${JSON.stringify(last)}`;
		});

	const isFinal = () => ['completed', 'failed', 'ended'].includes(stream.state.kind);
	return {
		stream,
		records,
		states,
		notices,
		until,
		async ended(ms) {
			await until(isFinal, ms, 'the stream to end');
			return stream.state;
		},
	};
}

/** Asserts ids are exactly 1..n in order; returns a description of the first problem, or undefined. */
export function sequenceProblem(records: LogRecord[], n: number): string | undefined {
	if (records.length !== n) {
		const seen = new Set(records.map((r) => r.id));
		const dupes = records.length - seen.size;
		return `delivered ${records.length} of ${n} (${dupes} duplicates)`;
	}

	const bad = records.findIndex((record, index) => record.id !== String(index + 1));
	return bad < 0 ? undefined : `record ${bad} has id ${records[bad]!.id}`;
}
