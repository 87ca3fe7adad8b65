import process from 'node:process';
import type {Writable} from 'node:stream';
import {LogStream} from '../client/log-stream.js';
import type {ConnectionState, LogStreamOptions, RunInfo} from '../client/types.js';
import type {LogRecord} from '../protocol/record.js';
import {runEndText} from '../model/connection-text.js';
import {formatJson, LineFormatter, type LineFormatOptions} from './line-format.js';
import {OutputBuffer} from './output-buffer.js';
import type {RecordFilter} from './record-filter.js';

/*
 * `dbtail follow`: records to stdout, everything about the connection to stderr (so pipes get only log
 * lines), and an exit code that says how the run ended: 0 succeeded, 1 failed or cancelled, 2 the stream
 * could not be followed, 3 the server ended it with no run result (HTTP 204: neither success nor a fault,
 * so `follow x && deploy` does not deploy), 130 interrupted (after what was received is written out).
 */

export type FollowOptions = {
	stream: LogStreamOptions;
	json: boolean;
	filter: RecordFilter;
	format: LineFormatOptions;
	stdout?: Writable;
	stderr?: Writable;
};

export const EXIT = {succeeded: 0, failed: 1, fatal: 2, ended: 3, interrupted: 130} as const;

/** After SIGINT or SIGTERM, how long what was received may take to drain before follow exits anyway. */
const SIGNAL_DRAIN_MS = 1000;

/** `run r-4021 succeeded in 2m13s` */
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

export async function runFollow(options: FollowOptions): Promise<number> {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const say = (text: string) => stderr.write(`dbtail: ${text}\n`);
	// JSON escapes every control character itself (formatJson), so --json carries each message as sent.
	const stream = new LogStream({...options.stream, rawMessages: options.json});
	const out = new OutputBuffer(
		stdout,
		() => stream.pause(),
		() => stream.resume(),
	);
	const formatter = new LineFormatter(options.format);
	const format = options.json ? formatJson : (record: LogRecord) => formatter.format(record);
	const {filter} = options;
	stream.on('record', (record) => {
		if (filter.accepts(record)) {
			out.write(format(record));
		}
	});
	stream.on('notice', (notice) => say(notice.message));
	stream.on('run', (run: RunInfo) => {
		// With --forever each finished run is worth a line; without it the final state says it.
		if (run.status !== 'running' && options.stream.follow) {
			say(runEndText(run));
		}
	});

	return new Promise<number>((resolve) => {
		let wasDown = false;
		let everLive = false;
		let waitingFor: string | undefined;
		let finished = false;
		const finish = async (code: number) => {
			if (finished) {
				return;
			}

			finished = true;
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			stream.close();
			await out.drain();
			resolve(code);
		};

		const onSignal = (signal: NodeJS.Signals) => {
			const code = signal === 'SIGTERM' ? 143 : EXIT.interrupted;
			if (finished) {
				// A second Ctrl-C while output drains to a stuck pipe: leave now.
				process.exit(code);
			}

			// What was received is written out first, but a reader that never reads (a stopped pager)
			// must not keep a CI job's SIGTERM waiting: past this, follow leaves without it.
			setTimeout(() => {
				process.exit(code);
			}, SIGNAL_DRAIN_MS).unref();
			void finish(code);
		};

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
				void finish(state.result === 'succeeded' ? EXIT.succeeded : EXIT.failed);
			} else if (state.kind === 'failed') {
				void finish(EXIT.fatal);
			} else if (state.kind === 'ended') {
				void finish(EXIT.ended);
			}
		});
		stdout.on('error', (error: NodeJS.ErrnoException) => {
			// The reader went away (`| head`): stop quietly, as other Unix tools do.
			out.markBroken();
			void finish(error.code === 'EPIPE' ? EXIT.succeeded : EXIT.fatal);
		});
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		stream.start();
	});
}
