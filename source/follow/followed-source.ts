import {LogStream} from '../client/log-stream.js';
import type {ConnectionState, LogStreamOptions, RunInfo} from '../client/types.js';
import type {LogRecord} from '../protocol/record.js';
import {runEndText} from '../model/connection-text.js';
import {EXIT} from './exit-status.js';
import {formatJson, LineFormatter, type LineFormatOptions} from './line-format.js';
import type {RecordFilter} from './record-filter.js';

/*
 * One source of `dbtail follow` on its own LogStream (its own connection, reconnects and resume point):
 * its lines, formatted, to the output all sources share; what its connection does, in words, to stderr;
 * and, once its stream has ended, the exit code its end means.
 */

export type FollowedSourceOptions = {
	stream: LogStreamOptions;
	json: boolean;
	filter: RecordFilter;
	/** `format.source` set: each line (and `source` in each JSON record) says which source it is of. */
	format: LineFormatOptions;
	write(text: string): void;
	/** One line about the connection, for stderr (prefixed with the source by the caller when several run). */
	say(text: string): void;
};

/**
 * What the connection did, in words; `history` says whether it was ever live, whether it is down now, and
 * what source it has been waiting for (said once, not at every ask).
 */
function describeState(state: ConnectionState, history: {everLive: boolean; down: boolean; waitingFor?: string}): string | undefined {
	switch (state.kind) {
		case 'reconnecting': {
			const seconds = Math.max(0, (state.retryAt - Date.now()) / 1000).toFixed(1);
			const what = history.everLive ? 'connection lost' : 'cannot connect';
			return `${what} (${state.lastError}); retrying in ${seconds}s, attempt ${state.attempt}`;
		}

		case 'waiting': {
			return history.waitingFor === state.source ? undefined : `waiting for ${state.source} to appear (${state.reason})`;
		}

		case 'live': {
			if (history.waitingFor !== undefined) {
				return `${history.waitingFor} appeared`;
			}

			return history.down ? (history.everLive ? 'reconnected' : 'connected') : undefined;
		}

		case 'completed': {
			return runEndText({runId: state.runId, status: state.result, durationMs: state.durationMs});
		}

		case 'failed':
		case 'ended': {
			return state.reason;
		}

		default: {
			return undefined;
		}
	}
}

export class FollowedSource {
	/** Resolves with the exit code of the stream's end: the run's result, 2 when it could not be followed, 3 ended. */
	readonly ended: Promise<number>;
	readonly #stream: LogStream;

	constructor(options: FollowedSourceOptions) {
		// JSON escapes every control character itself (formatJson), so --json carries each message as sent.
		const stream = new LogStream({...options.stream, rawMessages: options.json});
		this.#stream = stream;
		const formatter = new LineFormatter(options.format);
		const {source} = options.format;
		const format = options.json ? (record: LogRecord) => formatJson(record, source) : (record: LogRecord) => formatter.format(record);
		const {filter, write, say} = options;
		stream.on('record', (record) => {
			if (filter.accepts(record)) {
				write(format(record));
			}
		});
		stream.on('notice', (notice) => say(notice.message));
		stream.on('run', (run: RunInfo) => {
			// With --forever each finished run is worth a line; without it the final state says it.
			if (run.status !== 'running' && options.stream.follow) {
				say(runEndText(run));
			}
		});

		let wasDown = false;
		let everLive = false;
		let waitingFor: string | undefined;
		this.ended = new Promise<number>((resolve) => {
			stream.on('state', (state) => {
				const text = describeState(state, {everLive, down: wasDown, waitingFor});
				if (text) {
					say(text);
				}

				everLive ||= state.kind === 'live';
				wasDown = state.kind === 'reconnecting' || (wasDown && state.kind === 'connecting');
				// Between asks the state goes `connecting` again: still waiting, until something else happens.
				waitingFor = state.kind === 'waiting' ? state.source : state.kind === 'connecting' ? waitingFor : undefined;
				if (state.kind === 'completed') {
					resolve(state.result === 'succeeded' ? EXIT.succeeded : EXIT.failed);
				} else if (state.kind === 'failed') {
					resolve(EXIT.fatal);
				} else if (state.kind === 'ended') {
					resolve(EXIT.ended);
				}
			});
		});
	}

	start(): void {
		this.#stream.start();
	}

	close(): void {
		this.#stream.close();
	}

	pause(): void {
		this.#stream.pause();
	}

	resume(): void {
		this.#stream.resume();
	}
}
