import type {RunResult} from '../protocol/record.js';
import {BoundedSet} from './bounded-set.js';
import type {PaneNews} from './pane-attention.js';

/** `--notify`: the bell and a desktop notification (both, the default), one of them, or neither. */
export const NOTIFY_MODES = ['both', 'bell', 'desktop', 'off'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];
/** `both, bell, desktop or off`, for the messages that name them. */
export const NOTIFY_CHOICES = `${NOTIFY_MODES.slice(0, -1).join(', ')} or ${NOTIFY_MODES.at(-1)!}`;

/** Something to tell a user looking elsewhere: a run's first ERROR, or how a run ended. Raw text: the terminal writer sanitizes. */
export type RunNotice =
	| {kind: 'errors'; source: string; runId?: string; message: string}
	| {kind: 'end'; source: string; runId: string; result: RunResult; durationMs?: number};

/** The pane that heard the news, and whether the user is on it, or on another pane of the same run. */
export type Listener = {paneId: number; source: string; focused: boolean; focusedRunId?: string};

/**
 * Which news notifies: once per run and kind across every pane (a task's pane and its automation's hear
 * the same ERROR), and only when the user is not looking: news heard by the focused pane, or by a pane of
 * the run the focused pane shows, is seen there and uses the run's one notice up. Where a source has no
 * runs, the pane is the run.
 */
export class RunNotices {
	readonly #told = new BoundedSet();

	decide(news: PaneNews, listener: Listener): RunNotice | undefined {
		const runId = news.kind === 'end' ? news.run.runId : news.runId;
		if (!this.#told.add(`${news.kind} ${runId ?? `pane ${listener.paneId}`}`)) {
			return undefined;
		}

		if (listener.focused || (runId !== undefined && runId === listener.focusedRunId)) {
			return undefined;
		}

		if (news.kind === 'end') {
			// A run event's status is never `running` here (PaneAttention passes only ends).
			return {kind: 'end', source: listener.source, runId: news.run.runId, result: news.run.status as RunResult, durationMs: news.run.durationMs};
		}

		return {kind: 'errors', source: listener.source, runId, message: news.message};
	}
}
