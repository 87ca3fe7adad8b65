import type {ErrorEvent, StatusEvent} from '../protocol/events.js';
import type {Outcome} from './connection-outcome.js';
import type {DeliveryGate} from './delivery-gate.js';
import type {ConnectionState, RunInfo, StreamNotice} from './types.js';

/** What the dbtail dialect's `status` events may change in their LogStream. */
export type StatusContext = {
	readonly gate: DeliveryGate;
	/** The connection carries the whole current run from its first line (no resume point, no tail/since). */
	wholeRun(): boolean;
	readonly endsOnCompletion: boolean;
	setHeartbeat(ms: number): void;
	/** Forget the resume point and what older connections sent; the next connection reloads the run. */
	reloadRun(): void;
	notice(kind: StreamNotice['kind'], message: string): void;
	run(info: RunInfo): void;
	complete(state: Extract<ConnectionState, {kind: 'completed'}>): void;
	end(outcome: Outcome): void;
};

/**
 * One reload right away; another epoch change this soon after means the address leads to more than one
 * store (two servers behind a balancer), and reloading at once every time would spin.
 */
const EPOCH_RELOAD_WINDOW_MS = 30_000;

/** Run ids kept per set: a stream that stays for days meets one run after another. */
const MAX_RUNS_REMEMBERED = 1000;

function remember(runs: Set<string>, runId: string): void {
	runs.add(runId);
	if (runs.size > MAX_RUNS_REMEMBERED) {
		runs.delete(runs.values().next().value!);
	}
}

/**
 * Reads the server's in-band control events: `connected`, `run-started`, `completed`, `truncated` and
 * `shutdown` (docs/protocol.md, Response and framing), and `error`.
 */
export class StatusHandler {
	#epoch: string | undefined;
	#reloadedAt: number | undefined;
	#followed: string | undefined;
	// Run events this stream has already passed on: a resumed connection may say them again (the server
	// picks up from the run of the last line it had, which can be an older run than the one followed).
	readonly #started = new Set<string>();
	readonly #completed = new Set<string>();

	readonly #context: StatusContext;

	constructor(context: StatusContext) {
		this.#context = context;
	}

	/** The run this stream follows, as far as the server has said: a resuming reconnect names it (`current=`). */
	get followedRun(): string | undefined {
		return this.#followed;
	}

	/**
	 * An `error` event: `slow-consumer` is said and resumed (the server closes the connection); another that
	 * is not recoverable ends the connection, to reconnect (`unauthorized`, `internal`) or for good.
	 */
	handleError(error: ErrorEvent['error']): void {
		const {code, message, recoverable} = error;
		if (code === 'slow-consumer') {
			this.#context.notice('slow-consumer', `the server dropped this stream as too slow: resuming (${message})`);
		} else if (!recoverable) {
			this.#context.end({error: `${code}: ${message}`, next: code === 'unauthorized' || code === 'internal' ? 'backoff' : 'fatal'});
		}
	}

	handle(status: StatusEvent): void {
		const context = this.#context;
		switch (status.status) {
			case 'connected': {
				context.setHeartbeat(status.heartbeatMs);
				if (status.runId && context.wholeRun()) {
					context.gate.runStarted(status.runId);
				}

				if (status.runId && this.#followed === undefined) {
					this.#followed = status.runId;
					remember(this.#started, status.runId);
				}

				const previous = this.#epoch;
				this.#epoch = status.epoch;
				if (previous !== undefined && status.epoch !== previous) {
					this.#epochChanged();
				}

				break;
			}

			case 'run-started': {
				if (this.#started.has(status.runId)) {
					break;
				}

				remember(this.#started, status.runId);
				this.#followed = status.runId;
				context.gate.runStarted(status.runId);
				context.notice('run-started', `run ${status.runId} started`);
				context.run({runId: status.runId, status: 'running'});
				break;
			}

			case 'completed': {
				// Only the followed run's end counts: a replayed end of an older run must not end `dbtail follow`
				// with that run's result.
				if (this.#completed.has(status.runId) || (this.#followed !== undefined && status.runId !== this.#followed)) {
					break;
				}

				remember(this.#completed, status.runId);
				context.run({runId: status.runId, status: status.result, durationMs: status.durationMs});
				if (context.endsOnCompletion) {
					context.complete({kind: 'completed', result: status.result, durationMs: status.durationMs, runId: status.runId});
				}

				break;
			}

			case 'truncated': {
				context.gate.forgetRuns();
				const what = status.purged === undefined ? 'some lines' : `${status.purged} line(s)`;
				context.notice('truncated', `${what} before id ${status.oldestId} were purged from history and cannot be shown`);
				break;
			}

			case 'shutdown': {
				context.end({error: 'the server is shutting down', next: 'backoff'});
				break;
			}
		}
	}

	/** The store was recreated: ids and runs start over, so the run is shown again from its start. */
	#epochChanged(): void {
		const context = this.#context;
		const now = Date.now();
		const again = this.#reloadedAt !== undefined && now - this.#reloadedAt < EPOCH_RELOAD_WINDOW_MS;
		this.#reloadedAt = now;
		// A new store: its run ids start over, so what was followed or seen says nothing about it.
		this.#followed = undefined;
		this.#started.clear();
		this.#completed.clear();
		context.reloadRun();
		if (again) {
			context.notice('epoch-reset', 'the server\'s log store changed again (more than one store behind this address?): reloading the run after a delay');
			context.end({error: 'log store changed again', next: 'backoff'});
		} else {
			context.notice('epoch-reset', 'the server\'s log store was reset: reloading the run from its start');
			context.end({error: 'log store reset', next: 'now'});
		}
	}
}
