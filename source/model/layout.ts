/**
 * Where one pane goes: its place in the list laid out, its top-left cell (0-based, within the panes'
 * area), and its size in columns and rows (title row included).
 */
export type PaneRect = {index: number; column: number; row: number; width: number; height: number};

/** Panes in rows of cells; each row is drawn side by side, rows are stacked. */
export type Layout = {rows: PaneRect[][]};

/** A pane narrower than this goes under the others instead of beside them. */
const MIN_SIDE_BY_SIDE = 48;
const MIN_GRID_WIDTH = 30;
/** Title row plus a few lines of log. */
const MIN_STACKED_HEIGHT = 4;
/** Narrower than this, a pane's title cannot say which it is and in what state: the panes do not fit. */
export const MIN_PANE_WIDTH = 12;

/** Splits `total` into `parts` sizes that differ by at most one, the larger first. */
function split(total: number, parts: number): number[] {
	const base = Math.floor(total / parts);
	return Array.from({length: parts}, (_, index) => base + (index < total % parts ? 1 : 0));
}

/**
 * Lays out `count` panes in `width` x `height` cells: 1 to 3 side by side when each gets 48 columns,
 * stacked when each gets a few rows, and a grid beyond that (or beyond 3). Side-by-side panes give up one
 * column to a rule (│) so their text does not run together. Every pane gets at least its title row and
 * MIN_PANE_WIDTH columns; undefined when the area cannot give them that (the screen says so instead).
 */
export function layoutPanes(count: number, width: number, height: number): Layout | undefined {
	if (count <= 0) {
		return {rows: []};
	}

	let columns: number;
	if (count <= 3 && width / count >= MIN_SIDE_BY_SIDE) {
		columns = count;
	} else if (count <= 3 && height / count >= MIN_STACKED_HEIGHT) {
		columns = 1;
	} else {
		columns = Math.ceil(Math.sqrt(count));
		while (columns > 1 && width / columns < MIN_GRID_WIDTH) {
			columns--;
		}
	}

	// Short of rows, more panes go side by side, as narrow as a title allows, so each keeps a line of log;
	// and, narrower still, so each keeps its title row.
	const widthFor = (columnCount: number) => Math.floor((width - (columnCount - 1)) / columnCount);
	while (columns < count && height < 2 * Math.ceil(count / columns) && widthFor(columns + 1) >= MIN_PANE_WIDTH) {
		columns++;
	}

	while (columns < count && Math.ceil(count / columns) > height) {
		columns++;
	}

	const gridRows = Math.ceil(count / columns);
	if (gridRows > height || widthFor(columns) < MIN_PANE_WIDTH) {
		return undefined;
	}

	const heights = split(height, gridRows);
	const rows: PaneRect[][] = [];
	let index = 0;
	let top = 0;
	for (const rowHeight of heights) {
		const inRow = Math.min(columns, count - index);
		const widths = split(width - (inRow - 1), inRow);
		let left = 0;
		rows.push(
			widths.map((cellWidth) => {
				const rect = {index: index++, column: left, row: top, width: cellWidth, height: rowHeight};
				left += cellWidth + 1;
				return rect;
			}),
		);
		top += rowHeight;
	}

	return {rows};
}

/**
 * The rect a cell of the panes' area falls in; the rule column right of a pane counts as that pane's (a
 * wheel turned on the rule scrolls the pane it separates from the next).
 */
export function rectAt(layout: Layout, column: number, row: number): PaneRect | undefined {
	for (const cells of layout.rows) {
		for (const rect of cells) {
			if (row >= rect.row && row < rect.row + rect.height && column >= rect.column && column <= rect.column + rect.width) {
				return rect;
			}
		}
	}

	return undefined;
}
