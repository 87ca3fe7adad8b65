import type {StatusEvent} from '../../protocol/events.js';
import type {StreamParams} from '../params.js';
import type {LogStore} from '../store/log-store.js';
import type {Scope} from '../store/scope.js';
import type {ServedStream} from '../served-stream.js';

/** With no resume point and no `initial`, the `all` stream starts with this many recent records. */
export const ALL_STREAM_INITIAL = 200;

export type ReplayStart = {
	/** What history to replay (none: live only). */
	scope?: Scope;
	/** Replay records with id greater than this; with no scope, send live records only above it. */
	after: number;
	fromTime?: string;
	truncated?: StatusEvent;
};

/**
 * Where a new SSE session starts (docs/protocol.md, Where a stream starts): after its resume point over
 * the whole entity; else from a time; else the last `initial` records (default: all) of the current run.
 */
export async function replayStart(store: LogStore, target: ServedStream, params: StreamParams): Promise<ReplayStart> {
	if (params.resumeAfter !== undefined) {
		const start: ReplayStart = {scope: target.scope, after: params.resumeAfter};
		const truncated = await truncatedAfter(store, target.scope, params.resumeAfter);
		return truncated ? {...start, truncated} : start;
	}

	if (params.fromTime !== undefined) {
		return {scope: target.scope, after: 0, fromTime: params.fromTime};
	}

	const all = target.scope.kind === 'all' && target.scope.runId === undefined;
	const initial = params.initial ?? (all ? ALL_STREAM_INITIAL : undefined);
	if (initial === 0 || (!all && !target.currentRun)) {
		// Live only: what is stored already is history even if the feed (PostgreSQL's lags) hands it over later.
		return {after: await store.top()};
	}

	const scope = all ? target.scope : {...target.scope, runId: target.currentRun!.runId};
	if (initial === undefined) {
		// The whole run was asked for: if retention ate its beginning, say so rather than start at seq 57.
		const truncated = await truncatedAfter(store, scope, 0);
		return {scope, after: 0, ...(truncated ? {truncated} : {})};
	}

	return {scope, after: await store.idBeforeLast(scope, initial, params.level)};
}

/**
 * The `truncated` status for a stream of `scope` replaying after id `after`, when retention deleted records
 * of that scope (not merely of others) past it. oldestId is the scope's first record still held, else the
 * next id it can get; `purged` only when the store knows the count exactly (the client then says "some").
 */
async function truncatedAfter(store: LogStore, scope: Scope, after: number): Promise<StatusEvent | undefined> {
	const lost = await store.purgedAfter(scope, after);
	if (!lost) {
		return undefined;
	}

	const {records: [oldest], top} = await store.history(scope, {after, limit: 1});
	const oldestId = oldest?.id ?? String(top + 1);
	return {type: 'status', status: 'truncated', oldestId, ...(lost.count === undefined ? {} : {purged: lost.count})};
}
