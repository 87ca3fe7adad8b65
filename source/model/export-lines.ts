import type {LineWindow} from './line-window.js';
import type {PaneLine} from './pane-line.js';
import type {PaneStore} from './pane-store.js';

/**
 * Which of the shown lines go into a file. Every line the pane shows (filter and level applied) by default;
 * `only` narrows that further, position by position: marked lines, once marks exist, are
 * `only: (position) => marks.has(position)` given when any line is marked, and nothing here changes.
 */
export type ExportChoice = {only?: (position: number) => boolean};

/**
 * The lines to write, taken when the export starts: their window positions, ascending, and each one's key
 * at that moment. The lines themselves stay in the window and are read a chunk at a time as the file is
 * written, so a 100,000-line pane is not copied first. A line the window gave up meanwhile (evicted by a
 * busy stream, dropped by the pager) is told from a line later put at the same position by its key.
 */
export type ExportSelection = {
	readonly positions: Float64Array;
	readonly keys: Float64Array;
	/** Lines of the run before the oldest line held, which the file cannot have; undefined when records carry no `seq`. */
	readonly earlier: number | undefined;
};

/**
 * The lines the pane shows (up to its pause point, while paused), as `choice` narrows them. Waits for a
 * filter still being applied in slices first: the file holds what the pane shows once it is done.
 */
export async function selectLines(store: PaneStore, choice: ExportChoice = {}): Promise<ExportSelection> {
	await store.indexed();
	const {window, index, view} = store;
	const visible = view.visibleCount();
	const positions = new Float64Array(visible);
	const keys = new Float64Array(visible);
	let taken = 0;
	for (let rank = 0; rank < visible; rank++) {
		const position = index.shown.at(rank)!;
		if (choice.only === undefined || choice.only(position)) {
			positions[taken] = position;
			keys[taken] = window.keyAt(position) ?? Number.NaN;
			taken++;
		}
	}

	return {positions: positions.subarray(0, taken), keys: keys.subarray(0, taken), earlier: window.earlierLines()};
}

/**
 * The selected line at `at` as a view (read it at once, as `LineWindow.peek`), or undefined when the window
 * no longer holds it.
 */
export function selectedLine(window: LineWindow, selection: ExportSelection, at: number): PaneLine | undefined {
	const position = selection.positions[at]!;
	return window.keyAt(position) === selection.keys[at] ? window.peek(position) : undefined;
}
