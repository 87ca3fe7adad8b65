import type {HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import type {LineWindow} from './line-window.js';
import type {LiveSeam} from './live-seam.js';
import type {FoundMatch} from './match-search.js';
import type {PaneStore} from './pane-store.js';

/**
 * A line to go to anywhere in a pane's run: a record by id (the `i` overview's first ERROR), or the first
 * line at or after a time (`T`, an ISO time). Either way the first line of the scope at or after it, in id
 * order, as the server's history reads it (`after=id-1`, `from=time`).
 */
export type LineTarget = {id: string} | {time: string};

/**
 * Where a move to a target ended:
 * - `landed`: the cursor is on it (or, under a filter, on the first line shown after it); `seq` and
 *   `timestamp` are the target line's. `older`: no history to read, and the time is older than the oldest
 *   line held, which is where the cursor went.
 * - `none`: no line at or after it (a time after the newest line); the view stayed.
 * - `dropped`: nothing to say: a key moved the view meanwhile, another read superseded it, the pane closed,
 *   or the read failed (the pager's `error` says why).
 */
export type GoToOutcome = {kind: 'landed'; seq?: number; timestamp: string; older?: boolean} | {kind: 'none'} | {kind: 'dropped'};

/**
 * The first held line (not a notice) whose time is at or after `time` (ms), in id order, as a pane without
 * a history answers `T`; undefined when none is. The window's time column and a reused view of each line:
 * no line object and no Date.parse per line held.
 */
export function heldAtOrAfter(window: LineWindow, time: number): {position: number; oldest: boolean} | undefined {
	let oldest = true;
	for (let position = window.first; position < window.end; position++) {
		const line = window.peek(position);
		if (!line || line.notice) {
			continue;
		}

		// An unreadable time is never "at or after": the line is passed over, as the server's text comparison would.
		if ((window.timeAt(position) ?? Number.NaN) >= time) {
			return {position, oldest};
		}

		oldest = false;
	}

	return undefined;
}

/**
 * A target the pane answers from what it holds, without reading: an id held, or, where there is no history
 * to ask (or none that reads from a time), the first held line at or after a time; undefined where the
 * history must be read.
 */
export function heldTarget(store: PaneStore, target: LineTarget, reader: HistoryReader | undefined): GoToOutcome | undefined {
	const {window} = store;
	if ('id' in target) {
		const position = window.positionOf(target.id);
		if (position !== undefined) {
			return placeOnLine(store, position);
		}

		return reader ? undefined : {kind: 'none'};
	}

	if (reader?.at) {
		return undefined;
	}

	const time = Date.parse(target.time);
	const found = heldAtOrAfter(window, time);
	if (!found) {
		return {kind: 'none'};
	}

	const outcome = placeOnLine(store, found.position);
	return outcome.kind === 'landed' && found.oldest && Date.parse(outcome.timestamp) > time ? {...outcome, older: true} : outcome;
}

/**
 * Reads where a target is: its line and the lines after it (`after=id-1`, or `from=time`), then, unless
 * `held` says the pane holds that line already, the lines before it, for context above. Undefined when no
 * line of the scope is at or after the target.
 */
export async function readTarget(
	reader: HistoryReader,
	target: LineTarget,
	half: number,
	held: (id: string) => boolean,
): Promise<{line: LogRecord; around?: FoundMatch} | undefined> {
	// Ids start at 1, so the page after id - 1 starts at the id itself, or at the first line after it in the scope.
	const after = 'id' in target ? await reader.after(String(Number(target.id) - 1), half + 1) : await reader.at!(target.time, half + 1);
	const [line] = after.records;
	if (!line || held(line.id!)) {
		return line && {line};
	}

	const before = await reader.before(line.id, half);
	return {line, around: {match: line, records: [...before.records, ...after.records], more: {before: before.more, after: after.more}}};
}

/**
 * Gives up every line held, to land lines from elsewhere in the run in their place: what the window knew of
 * the run's start goes too (dropBelow forgets it; dropFrom alone left a window replaced after `g` reached
 * line 1 saying that nothing came before its new lines, so scrolling up read nothing).
 */
export function emptyWindow(store: PaneStore): void {
	store.dropFrom(store.window.first);
	store.dropBelow(store.window.first);
}

/**
 * The target's line and the lines around it (`half` on each side), read and landed in place of the window
 * (the pager's goTo, where the line is not held; `replaced` is told before the window is given up).
 * `dropped` where the answer came too late (`current`).
 */
export async function landTarget(
	store: PaneStore,
	reader: HistoryReader,
	seam: LiveSeam,
	target: LineTarget,
	half: number,
	current: () => boolean,
	replaced?: () => void,
): Promise<GoToOutcome> {
	seam.listen();
	const found = await readTarget(reader, target, half, (id) => store.window.positionOf(id) !== undefined);
	if (!current()) {
		return {kind: 'dropped'};
	}

	if (!found) {
		return {kind: 'none'};
	}

	// Not held (the stream of a pane just opened on its run may have brought it meanwhile): the window is replaced.
	if (found.around && store.window.positionOf(found.line.id!) === undefined) {
		replaced?.();
		emptyWindow(store);
		seam.land({records: found.around.records, more: found.around.more.after}, false);
		if (!found.around.more.before) {
			// Nothing before the page: the run's first line is held, and nothing above it is read.
			store.fillBefore({records: [], more: false});
		}
	}

	const position = store.window.positionOf(found.line.id!);
	return position === undefined ? {kind: 'dropped'} : placeOnLine(store, position);
}

/**
 * The cursor onto a target's line, a third down the screen (as `n` leaves it), or under a filter onto the
 * first line shown after it. Not a move of the user's: it asks for no read.
 */
export function placeOnLine(store: PaneStore, position: number): GoToOutcome {
	const {window, index, view} = store;
	const line = window.get(position)!;
	const rank = index.shown.lowerBound(position);
	view.showFound(rank < view.visibleCount() ? index.shown.at(rank)! : position);
	return {kind: 'landed', seq: window.seqAt(position), timestamp: line.timestamp};
}
