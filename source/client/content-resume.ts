import type {LogRecord} from '../protocol/record.js';

/*
 * Resuming a stream whose records carry no ids (WebSocket servers: Stratal, the CloudWatch forwarder), where
 * a reconnect asks for what came since the last timestamp shown, inclusive, or history is read again. A
 * timestamp alone cannot say which of the lines at that timestamp were shown: several lines often share
 * one (the same millisecond, or a server that stamps seconds), so dropping every replayed line at the last
 * timestamp loses the ones not seen yet, and keeping them all shows the seen ones twice. What was shown at
 * the last timestamp is kept as content and count (as stern resumes by timestamp plus line count), and the
 * replay is matched against it: each line shown is matched once, anything more is new.
 */

/** What makes two records the same line: the time and the text. Levels and labels may differ between a server's live and history shapes. */
export function contentKey(record: LogRecord): string {
	return `${record.timestamp}\u0000${record.message}`;
}

export type ResumeVerdict = 'deliver' | 'duplicate';

export class ContentResume {
	/** The latest timestamp delivered (canonical ISO, so strings compare in time order). */
	#last: string | undefined;
	/**
	 * The lines delivered at `#last`, in the order shown; counted by content only when a replay is armed. No
	 * Map kept per line: Map.clear() links each old table to the new one, so once a table is promoted every
	 * table cleared after it survives the young-generation GC (30 MB promoted over 200,000 lines, bench:follow).
	 */
	readonly #atLastInOrder: string[] = [];
	/** While a replay is matched: what at `#last` has not been seen again yet. Undefined: not replaying. */
	#remaining: Map<string, number> | undefined;

	/** The timestamp to resume from: the latest one shown. */
	get lastTimestamp(): string | undefined {
		return this.#last;
	}

	/** The lines shown at the last timestamp, in order (as content keys). */
	get shownAtLast(): readonly string[] {
		return this.#atLastInOrder;
	}

	get replaying(): boolean {
		return this.#remaining !== undefined;
	}

	/**
	 * What comes next may repeat what was shown (a new connection, a history read): until a line later than
	 * the last timestamp arrives, older lines are dropped and lines at it are matched by content and count.
	 */
	arm(): void {
		if (this.#last !== undefined) {
			const remaining = new Map<string, number>();
			for (const key of this.#atLastInOrder) {
				remaining.set(key, (remaining.get(key) ?? 0) + 1);
			}

			this.#remaining = remaining;
		}
	}

	/** What comes next is known to be new (ws-resume.ts has matched it by sequence). */
	disarm(): void {
		this.#remaining = undefined;
	}

	/** Whether `record` is new; a new record is counted as shown. */
	offer(record: LogRecord): ResumeVerdict {
		const {timestamp} = record;
		if (this.#remaining) {
			if (timestamp < this.#last!) {
				return 'duplicate';
			}

			if (timestamp === this.#last) {
				const key = contentKey(record);
				const left = this.#remaining.get(key) ?? 0;
				if (left > 0) {
					this.#remaining.set(key, left - 1);
					return 'duplicate';
				}
			} else {
				// Past the boundary: the replay has caught up, all that follows is new.
				this.#remaining = undefined;
			}
		}

		this.#shown(record);
		return 'deliver';
	}

	#shown(record: LogRecord): void {
		const {timestamp} = record;
		if (this.#last === undefined || timestamp > this.#last) {
			this.#last = timestamp;
			// Cleared, not replaced: most lines move the last timestamp, and this runs for each of them.
			this.#atLastInOrder.length = 0;
		} else if (timestamp < this.#last) {
			// A line older than one shown (servers interleave tasks): it moves no boundary.
			return;
		}

		this.#atLastInOrder.push(contentKey(record));
	}
}

/**
 * Where a replay starts in `shown`, the lines from the last timestamp shown on (history included): the first
 * index from which the two agree for as long as both go on, or -1. A live stream that replays nothing
 * (Stratal's) starts wherever the connection caught it, perhaps in the middle of a timestamp, and may end
 * before history does (its frames still on their way): where it meets history is found by sequence, and
 * with several equal lines at the seam, the earliest start that fits is taken.
 */
export function replayStart(shown: readonly string[], replay: readonly string[]): number {
	for (let start = 0; start < shown.length; start++) {
		let i = 0;
		while (i < replay.length && start + i < shown.length && shown[start + i] === replay[i]) {
			i++;
		}

		if (i === replay.length || start + i === shown.length) {
			return start;
		}
	}

	return -1;
}
