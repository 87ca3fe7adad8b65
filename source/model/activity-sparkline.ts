import {ArrivalRate} from './arrival-rate.js';

/** The seconds the sparkline covers, and the seconds one cell of it sums: 12 cells of 5 s. */
export const ACTIVITY_SECONDS = 60;
export const CELL_SECONDS = 5;
export const SPARK_CELLS = ACTIVITY_SECONDS / CELL_SECONDS;

/** Five heights, lowest first; a cell with no line is blank, so a stall reads as a gap, not as a low bar. */
const GLYPHS = ['▁', '▂', '▃', '▅', '▇'] as const;

/** One cell: its bar, and whether an ERROR (or FATAL) line arrived in its seconds (drawn in the error color). */
export type SparkCell = {glyph: string; error: boolean};

/**
 * A pane's activity over the last minute, by arrival: lines per second (the replay of a connection left out,
 * as for the status bar's lines/s) and the seconds an ERROR came in. Drawn as a sparkline in the pane's
 * title, so a stalled job (the bars stop) or a burst (one bar dwarfs the rest) shows without reading a
 * number. Cells are 5 s of the clock, scaled to the busiest cell in view. Cheap per line: two counters.
 */
export class ActivitySparkline {
	readonly #lines = new ArrivalRate(ACTIVITY_SECONDS);
	readonly #errors = new ArrivalRate(ACTIVITY_SECONDS);
	#lastAt = Number.NEGATIVE_INFINITY;

	add(now: number, error: boolean): void {
		this.#lines.add(now);
		if (error) {
			this.#errors.add(now);
		}

		this.#lastAt = Math.max(this.#lastAt, now);
	}

	/**
	 * The cells, oldest first, the last holding the current 5 s of the clock (so far); none when no line
	 * arrived within the window: there is nothing to draw, and the title's `quiet 1m` says it.
	 */
	cells(now: number): SparkCell[] {
		if (now - this.#lastAt >= ACTIVITY_SECONDS * 1000) {
			return [];
		}

		const lines = this.#lines.counts(now);
		const errors = this.#errors.counts(now);
		const second = Math.floor(now / 1000);
		const lastCell = Math.floor(second / CELL_SECONDS);
		const sums = Array.from({length: SPARK_CELLS}, () => ({lines: 0, error: false}));
		for (const [index, count] of lines.entries()) {
			// counts() ends at the current second: index ACTIVITY_SECONDS - 1 is `second`.
			const cell = Math.floor((second - (ACTIVITY_SECONDS - 1) + index) / CELL_SECONDS) - (lastCell - SPARK_CELLS + 1);
			if (cell >= 0) {
				sums[cell]!.lines += count;
				sums[cell]!.error ||= errors[index]! > 0;
			}
		}

		const busiest = Math.max(...sums.map((sum) => sum.lines));
		if (busiest === 0) {
			return [];
		}

		return sums.map(({lines: count, error}) => ({
			glyph: count === 0 ? ' ' : GLYPHS[Math.max(1, Math.ceil((count / busiest) * GLYPHS.length)) - 1]!,
			error,
		}));
	}

	/** What changes the drawing with the clock alone: the current cell, while anything shows. */
	signature(now: number): string {
		return now - this.#lastAt < ACTIVITY_SECONDS * 1000 ? String(Math.floor(now / 1000 / CELL_SECONDS)) : '';
	}
}
