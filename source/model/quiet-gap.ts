/** `--quiet-mark`'s default: a pause in a pane's stream longer than this many seconds is marked in line. */
export const DEFAULT_QUIET_MARK_SECONDS = 30;

/**
 * When a pane's stream went quiet (stern#328): the time between one line's arrival and the next, read
 * on the viewer's clock as lines arrive. A pause longer than the threshold puts a dim rule before the
 * next line (`── quiet 2m14s ──`), so a restart or a hang shows in the scrollback.
 *
 * Measured by arrival, and only before a live line (one that came on its connection as it was logged,
 * not in the replay sent when a connection opens): a replay arrives in a burst whatever pauses lay
 * between its lines, and their timestamps are the producers' clocks, skewed and batched (a batch of lines
 * posted at once carries the times they were logged), so a gap between them says nothing about what this
 * pane saw. A replayed line still counts as an arrival: the pause is measured from it. Lines read from
 * the history (scrolling back) never come through here.
 */
export class QuietGap {
	#last?: number;
	readonly #thresholdMs: number;

	/** `seconds`: the threshold; 0 turns the marks off. */
	constructor(seconds = DEFAULT_QUIET_MARK_SECONDS) {
		this.#thresholdMs = seconds * 1000;
	}

	/** A line arrived at `now` (`live`: not a replay); the pause to mark before it, in ms, if it was long. */
	heard(now: number, live: boolean): number | undefined {
		const last = this.#last;
		this.#last = Math.max(now, last ?? now);
		if (!live || this.#thresholdMs <= 0 || last === undefined) {
			return undefined;
		}

		const gap = now - last;
		return gap > this.#thresholdMs ? gap : undefined;
	}
}

const two = (value: number) => String(value).padStart(2, '0');

/** `45s`, `2m14s`, `1h02m`, `3d04h`: a pause's length, at the precision a reader of a scrollback wants. */
export function quietLength(ms: number): string {
	const seconds = Math.floor(ms / 1000);
	if (seconds < 60) {
		return `${seconds}s`;
	}

	if (seconds < 3600) {
		return `${Math.floor(seconds / 60)}m${two(seconds % 60)}s`;
	}

	if (seconds < 86_400) {
		return `${Math.floor(seconds / 3600)}h${two(Math.floor(seconds / 60) % 60)}m`;
	}

	return `${Math.floor(seconds / 86_400)}d${two(Math.floor(seconds / 3600) % 24)}h`;
}

/** The notice's message; the pane draws a notice after `── `, so the line reads `── quiet 2m14s ──`. */
export function quietMessage(ms: number): string {
	return `quiet ${quietLength(ms)} ──`;
}
