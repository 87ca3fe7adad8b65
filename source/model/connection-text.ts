import type {ConnectionState, RunInfo} from '../client/types.js';
import type {RunResult} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';

/** The word a pane title shows for its connection. */
export function connectionWord(state: ConnectionState): string {
	switch (state.kind) {
		case 'connecting': {
			return 'connecting';
		}

		case 'live': {
			return 'live';
		}

		case 'reconnecting': {
			return 'reconnecting';
		}

		case 'completed': {
			return 'completed';
		}

		case 'failed': {
			return 'offline';
		}

		case 'ended': {
			return 'ended';
		}
	}
}

/** The connection as the status bar says it: `reconnecting in 4s (attempt 3)`, `completed: failed in 2m13s`. */
export function connectionDetail(state: ConnectionState, now: number): string {
	switch (state.kind) {
		case 'connecting': {
			return state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting';
		}

		case 'live': {
			return 'live';
		}

		case 'reconnecting': {
			const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
			// Errors can quote a server (an HTTP reason phrase): nothing it sends reaches the screen raw.
			const why = state.lastError ? `: ${sanitizeInline(state.lastError)}` : '';
			return `reconnecting in ${seconds}s (attempt ${state.attempt})${why}`;
		}

		case 'completed': {
			return completedText(state.result, state.durationMs);
		}

		case 'failed': {
			return `offline: ${sanitizeInline(state.reason)}`;
		}

		case 'ended': {
			return `ended: ${sanitizeInline(state.reason)}`;
		}
	}
}

function completedText(result: RunResult, durationMs: number | undefined): string {
	const took = durationMs === undefined ? '' : ` in ${formatDuration(durationMs)}`;
	return `completed: ${result}${took}`;
}

/**
 * The run a stream that stays for the next run (the viewer's) has seen finish, as the status bar says it
 * next to a connection that is still up: `completed: failed in 2m13s`. Nothing while a run is going, or
 * when the connection itself has completed and says so.
 */
export function finishedRunDetail(state: ConnectionState, run: RunInfo | undefined): string | undefined {
	if (!run || run.status === 'running' || state.kind === 'completed') {
		return undefined;
	}

	return completedText(run.status, run.durationMs);
}

/** Dot color: named ANSI colors only, so 16-color terminals show them. */
export function connectionColor(state: ConnectionState): 'green' | 'yellow' | 'red' | 'gray' {
	switch (state.kind) {
		case 'live': {
			return 'green';
		}

		case 'connecting':
		case 'reconnecting': {
			return 'yellow';
		}

		case 'completed': {
			return state.result === 'succeeded' ? 'gray' : 'red';
		}

		case 'failed': {
			return 'red';
		}

		case 'ended': {
			return 'gray';
		}
	}
}

export function runColor(run: RunInfo | undefined): 'green' | 'red' | 'yellow' | undefined {
	switch (run?.status) {
		case 'succeeded': {
			return 'green';
		}

		case 'failed': {
			return 'red';
		}

		case 'cancelled': {
			return 'yellow';
		}

		default: {
			return undefined;
		}
	}
}
