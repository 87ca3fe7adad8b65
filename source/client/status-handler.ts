import type {StatusEvent} from '../protocol/events.js';
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

/** Reads `connected`, `run-started`, `completed`, `truncated` and `shutdown` (PROTOCOL.md, SSE framing). */
export class StatusHandler {
	#epoch: string | undefined;

	constructor(private readonly context: StatusContext) {}

	handle(status: StatusEvent): void {
		const context = this.context;
		switch (status.status) {
			case 'connected': {
				context.setHeartbeat(status.heartbeatMs);
				if (status.runId && context.wholeRun()) {
					context.gate.runStarted(status.runId);
				}

				const previous = this.#epoch;
				this.#epoch = status.epoch;
				if (previous !== undefined && status.epoch !== previous) {
					// The id space was reset: old resume points mean nothing. Reload the run; (run, seq) keeps
					// lines already shown from showing twice.
					context.reloadRun();
					context.notice('epoch-reset', 'the server\'s log store was reset: reloading the run, skipping lines already shown');
					context.end({error: 'log store reset', next: 'now'});
				}

				break;
			}

			case 'run-started': {
				context.gate.runStarted(status.runId);
				context.notice('run-started', `run ${status.runId} started`);
				context.run({runId: status.runId, status: 'running'});
				break;
			}

			case 'completed': {
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
}
