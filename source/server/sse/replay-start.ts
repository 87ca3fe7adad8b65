import type {StatusEvent} from '../../protocol/events.js';
import type {StreamParams} from '../params.js';
import type {LogStore} from '../store/log-store.js';
import type {Scope} from '../store/scope.js';
import type {StreamTarget} from './sse-session.js';

/** With no resume point and no `initial`, the `all` stream starts with this many recent records. */
export const ALL_STREAM_INITIAL = 200;

export type ReplayStart = {
	/** What history to replay (none: live only). */
	scope?: Scope;
	/** Replay records with id greater than this. */
	after: number;
	fromTime?: string;
	truncated?: StatusEvent;
};

/** Run ids are `r-<n>` with n increasing: the order in which runs started. */
export function runOrdinal(runId: string): number {
	const match = /^r-(\d+)$/.exec(runId);
	return match ? Number(match[1]) : 0;
}

/**
 * Where a new SSE session starts (PROTOCOL.md, Stream query parameters): after its resume point over
 * the whole entity; else from a time; else the last `initial` records (default: all) of the current run.
 */
export function replayStart(store: LogStore, target: StreamTarget, params: StreamParams): ReplayStart {
	if (params.resumeAfter !== undefined) {
		const purged = store.purgedThrough();
		const start: ReplayStart = {scope: target.scope, after: params.resumeAfter};
		if (params.resumeAfter < purged) {
			start.truncated = {
				type: 'status',
				status: 'truncated',
				oldestId: String(store.oldestId() ?? purged + 1),
				purged: purged - params.resumeAfter,
			};
		}

		return start;
	}

	if (params.fromTime !== undefined) {
		return {scope: target.scope, after: 0, fromTime: params.fromTime};
	}

	const all = target.scope.kind === 'all' && target.scope.runId === undefined;
	const initial = params.initial ?? (all ? ALL_STREAM_INITIAL : undefined);
	if (initial === 0 || (!all && !target.currentRun)) {
		return {after: 0};
	}

	const scope = all ? target.scope : {...target.scope, runId: target.currentRun!.runId};
	if (initial === undefined) {
		// The whole run was asked for: if retention ate its beginning, say so rather than start at seq 57.
		const [first] = store.purgedThrough() > 0 ? store.history(scope, {after: 0, limit: 1}) : [];
		const truncated: StatusEvent | undefined =
			first && first.seq > 1 ? {type: 'status', status: 'truncated', oldestId: first.id, purged: first.seq - 1} : undefined;
		return {scope, after: 0, ...(truncated ? {truncated} : {})};
	}

	return {scope, after: store.idBeforeLast(scope, initial, params.level)};
}
