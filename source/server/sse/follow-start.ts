import type {StreamParams} from '../params.js';
import type {RunCache} from '../run-cache.js';
import type {ServedStream} from '../served-stream.js';
import type {LogStore} from '../store/log-store.js';
import {RunFollower, type FollowMode} from './run-follower.js';
import {SessionRuns} from './session-runs.js';

/**
 * The run a new session follows, and the runs it may have to settle, read from the store before its first
 * byte (see replay-start.ts for where its replay starts).
 */
export async function followStart(ctx: {store: LogStore; runs: RunCache}, target: ServedStream, params: StreamParams): Promise<{sessionRuns: SessionRuns; runs: RunFollower}> {
	const {scope} = target;
	const mode: FollowMode = scope.runId !== undefined ? 'pinned' : scope.kind === 'all' ? 'none' : 'entity';
	// A resumed entity stream goes on with the run the client says it follows (`current`), else with the
	// run of its last record (which can be older: `from=` replays earlier runs, overlapping runs send late
	// lines), then catches up run by run.
	const {resumeAfter, current} = params;
	const resumed = mode === 'entity' && resumeAfter !== undefined ? await resumedRun(ctx, target, resumeAfter, current) : undefined;
	const following = resumed ?? target.currentRun?.runId;
	// The runs the follower may have to settle, known before the live path asks (it never waits for the store).
	const sessionRuns = new SessionRuns(ctx.runs, ctx.store);
	for (const runId of new Set([following, target.currentRun?.runId])) {
		if (runId !== undefined) {
			await sessionRuns.load(runId);
		}
	}

	return {sessionRuns, runs: new RunFollower(following, mode, params.follow, (runId) => sessionRuns.get(runId))};
}

async function resumedRun(ctx: {store: LogStore; runs: RunCache}, target: ServedStream, resumeAfter: number, current: string | undefined): Promise<string | undefined> {
	const run = current === undefined ? undefined : await ctx.runs.load(current);
	return run && target.ownsRun(run) ? run.runId : ctx.store.runAt(target.scope, resumeAfter);
}
