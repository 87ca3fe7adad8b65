import type {RunSummary, RunsAnswer, RunTasksAnswer} from '../protocol/api.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';
import {formatStreamName, parseStreamName, type StreamRef} from '../protocol/streams.js';

/** An automation or pipeline: what has runs (docs/protocol.md, Runs and tasks). */
export type RunEntity = {kind: 'automation' | 'pipeline'; id: string};

/**
 * The server's run list and task summary, as the viewer's model reads them. The command passes the
 * client's requests in (the model imports no client code); each rejects with a one-line message.
 */
export type RunAccess = {
	runs(entity: RunEntity, before: string | undefined, grep?: string): Promise<RunsAnswer>;
	tasks(runId: string): Promise<RunTasksAnswer>;
};

/** Where a pane moved by `[`, `]` or the run list stands: the run, how far back, and the source `]` and `G` return to. */
export type RunPin = {live: string; back: number; run: RunSummary};

export function entityName(entity: RunEntity): string {
	return `${entity.kind}/${entity.id}`;
}

/** A source's stream name, or undefined for a URL or anything else that is no stream name. */
export function streamRefOf(source: string): StreamRef | undefined {
	try {
		return parseStreamName(source);
	} catch {
		return undefined;
	}
}

/** The run a pane shows: the one its source pins, else the one its stream follows; none for `all` or a URL. */
export function paneRunId(source: string, following: string | undefined): string | undefined {
	const ref = streamRefOf(source);
	return !ref || ref.kind === 'all' ? undefined : ref.run ?? following;
}

/** The same source pinned to `runId`, or unpinned (its live run) without one: a task stays the task. */
export function sourceAtRun(ref: StreamRef, runId: string | undefined): string {
	return formatStreamName({...ref, run: runId});
}

/** `2 runs back · failed in 4m12s`: what a pinned pane's title says after its run id. */
export function pinText(pin: RunPin): string {
	const back = `${pin.back} ${pin.back === 1 ? 'run' : 'runs'} back`;
	const how = pin.run.status === 'running' ? 'running' : `${sanitizeInline(pin.run.status)} in ${formatDuration(pin.run.durationMs)}`;
	return `· ${back} · ${how}`;
}
