import type {ConnectionState, RunInfo, StreamStats} from '../client/types.js';
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

		case 'waiting': {
			return 'waiting';
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

/** A live stream that has delivered no line for this long says so. */
export const QUIET_AFTER_MS = 5000;

/**
 * `live`, or `live, quiet 10s` once no line has come for QUIET_AFTER_MS: the connection is up (heartbeats
 * keep it so) and the source simply has nothing to say. Quiet counts from the last record, or from when
 * the connection opened if none came on it, in steps of QUIET_AFTER_MS under a minute, then of whole
 * minutes (`quiet 2m`, `quiet 1h05m`): a count by the second redrew an idle viewer's screen every second
 * for as long as its panes stayed quiet.
 */
export function liveDetail(since: number, lastRecordAt: number | undefined, now: number): string {
	const quiet = now - Math.max(since, lastRecordAt ?? since);
	if (quiet < QUIET_AFTER_MS) {
		return 'live';
	}

	const minutes = Math.floor(quiet / 60_000);
	if (minutes === 0) {
		return `live, quiet ${Math.floor(quiet / QUIET_AFTER_MS) * (QUIET_AFTER_MS / 1000)}s`;
	}

	return `live, quiet ${minutes < 60 ? `${minutes}m` : formatDuration(minutes * 60_000)}`;
}

/** `waiting for automation/x to appear (asking again in 2s)`: a source the server has not seen yet. */
export function waitingDetail(state: Extract<ConnectionState, {kind: 'waiting'}>, now: number): string {
	const seconds = Math.max(0, Math.ceil((state.retryAt - now) / 1000));
	const when = seconds > 0 ? ` (asking again in ${seconds}s)` : '';
	return `waiting for ${sanitizeInline(state.source)} to appear${when}`;
}

/**
 * The connection as the status bar says it: `reconnecting in 4s (attempt 3)`, `completed: failed in
 * 2m13s`. With the stream's `stats`, a live one says how long it has been quiet (liveDetail).
 */
export function connectionDetail(state: ConnectionState, now: number, stats?: Pick<StreamStats, 'lastRecordAt'>): string {
	switch (state.kind) {
		case 'connecting': {
			return state.attempt > 1 ? `connecting (attempt ${state.attempt})` : 'connecting';
		}

		case 'live': {
			return stats ? liveDetail(state.since, stats.lastRecordAt, now) : 'live';
		}

		case 'waiting': {
			return waitingDetail(state, now);
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

/**
 * `run r-40 failed in 3s`: a run's end as `dbtail follow --forever` says it between runs, and as a pane
 * marks it in line with the logs (beside `── run r-41 started`).
 */
export function runEndText(run: {runId?: string; status: string; durationMs?: number}): string {
	const took = run.durationMs === undefined ? '' : ` in ${formatDuration(run.durationMs)}`;
	return `${run.runId ? `run ${sanitizeInline(run.runId)}` : 'the run'} ${run.status}${took}`;
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
		case 'reconnecting':
		case 'waiting': {
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
