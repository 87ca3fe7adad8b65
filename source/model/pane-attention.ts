import type {RunInfo} from '../client/types.js';
import type {LogRecord} from '../protocol/record.js';
import {ActivitySparkline} from './activity-sparkline.js';
import {BoundedSet} from './bounded-set.js';

/**
 * What a pane heard that may be worth telling a user who is not looking at it (run-notices.ts decides):
 * the first ERROR of a run, or a run's end. `runId` is absent where the source has no runs (a URL).
 */
export type PaneNews = {kind: 'errors'; runId?: string; message: string} | {kind: 'end'; run: RunInfo};

/**
 * How a line came to the pane. `live`: it arrived on its connection rather than in that connection's replay
 * (the lines/s rule: activity). `news`: it was logged after the pane was opened, so it is news to whoever
 * opened it, a line missed during an outage and replayed on the reconnect included; what the pane started
 * with is not (unread counts, notices).
 */
export type Arrival = {live: boolean; news: boolean};

/** The key of a line's run: a source with no runs is one run for this purpose. */
const runKey = (runId: string | undefined) => runId ?? '';

const isError = (record: LogRecord) => record.level === 'ERROR' || record.level === 'FATAL';

/**
 * A pane's claims on attention: the ERROR (FATAL included) and WARN lines that came since its live end was
 * last seen, for its title (`2 ERROR 5 WARN new`); its activity sparkline; and its news (a run's first ERROR,
 * a run's end), passed to `onNews`. The workspace decides when the pane is looked at (`seen`).
 *
 * A run's end is news only for a run the pane heard alive, one of its lines logged after the pane opened:
 * a pane opened on a finished run hears its replay and then its end, and none of that is news. A first
 * ERROR is news only when no earlier ERROR of that run reached the pane, replayed or not.
 */
export class PaneAttention {
	/** ERROR and FATAL lines heard since the pane's end was last seen. */
	errors = 0;
	/** WARN lines heard since then. */
	warnings = 0;
	readonly activity = new ActivitySparkline();
	/** Set by the workspace: where news goes. */
	onNews?: (news: PaneNews) => void;
	readonly #alive = new BoundedSet();
	readonly #errored = new BoundedSet();
	readonly #ended = new BoundedSet();

	/** True while the title has a count to show. */
	get unread(): boolean {
		return this.errors > 0 || this.warnings > 0;
	}

	heard(record: LogRecord, arrival: Arrival, now: number): void {
		const error = isError(record);
		if (arrival.live) {
			this.activity.add(now, error);
		}

		const run = runKey(record.runId);
		if (arrival.news) {
			this.#alive.add(run);
			if (error) {
				this.errors++;
			} else if (record.level === 'WARN') {
				this.warnings++;
			}
		}

		if (error && this.#errored.add(run) && arrival.news) {
			this.onNews?.({kind: 'errors', runId: record.runId, message: record.message});
		}
	}

	/** A run event: its end is news once, for a run heard alive. */
	ran(run: RunInfo): void {
		if (run.status !== 'running' && this.#alive.has(runKey(run.runId)) && this.#ended.add(runKey(run.runId))) {
			this.onNews?.({kind: 'end', run});
		}
	}

	/** The user looked: at the pane's live end, or through `e`. */
	seen(): void {
		this.errors = 0;
		this.warnings = 0;
	}
}
