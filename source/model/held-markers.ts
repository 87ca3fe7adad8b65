import {count} from './count-text.js';
import type {LineIndex} from './line-index.js';
import type {LineWindow} from './line-window.js';
import {LEVEL_COLUMN, type Row} from './rows.js';
import {sliceColumns} from './text-columns.js';

/*
 * Where the window does not hold lines, a marker row stands above the next line shown: above the first,
 * how many earlier lines of the run are not held (that some are, where the number is not known); between two lines, that lines are missing there, or
 * with context around filter matches (`C`), grep's `--` where one group of lines ends and the next begins. The
 * viewport counts it in that line's height, so scrolling and paging see it as the screen does.
 */

/** Between two groups of lines shown with context (`C`), as `grep -C` prints it. */
export const GROUP_SEPARATOR = '--';

/** The marker above the shown line at `rank`, where the window does not hold lines. */
export function heldMarker(window: LineWindow, index: LineIndex, rank: number): string | undefined {
	if (rank === 0) {
		const earlier = window.earlierLines();
		// A source with no history (a URL, another dialect) cannot give back what it pushed out: say so.
		const lost = window.readable ? '' : ': not available from this source';
		// How many is not known (no `seq`, or a task's lines, which `seq` does not count): that some were pushed out is.
		if (earlier === undefined) {
			return window.evicted > 0 ? `earlier lines not ${window.readable ? 'held' : 'available from this source'}` : undefined;
		}

		return earlier === 0 ? undefined : `${count(earlier)} earlier ${earlier === 1 ? 'line' : 'lines'} not held${lost}`;
	}

	if (index.holeBefore(rank)) {
		return 'lines not held here';
	}

	// With context, shown lines that are not neighbours end one group and start the next.
	return index.contextShown > 0 && index.shown.at(rank - 1)! + 1 !== index.shown.at(rank) ? GROUP_SEPARATOR : undefined;
}

/** A row that says what the window does not hold, in line with the text of the line under it. */
export function markerRow(text: string, position: number, timeColumn: number, width: number): Row {
	const shown = sliceColumns(text === GROUP_SEPARATOR ? text : `── ${text}`, 0, Math.max(1, width - timeColumn - LEVEL_COLUMN));
	return {key: `${position}:marker`, time: ' '.repeat(timeColumn), text: shown, notice: true, cursor: false, highlights: [], ...(text === GROUP_SEPARATOR ? {quiet: true} : {})};
}
