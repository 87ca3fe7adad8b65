import {linePrefix} from '../protocol/line-text.js';
import {counted} from './count-text.js';
import type {Action} from './key-table.js';
import {formatTimestamp} from './timestamps.js';
import type {ViewerShell} from './viewer-shell.js';
import type {Workspace} from './workspace.js';

/** The pane keys that open something else (a prompt, the picker, the help, the runs) or quit: route-key's. */
export type ModeAction = 'quit' | 'help' | 'open' | 'filter' | 'search' | 'time' | 'export' | 'runs' | 'overview' | 'run-earlier' | 'run-later';
export type PaneAction = Exclude<Action, ModeAction>;

/** Columns `h` / `l` scroll sideways. */
const SIDEWAYS_COLUMNS = 8;

/**
 * Carries out one pane key on the workspace. `digit` is the key for `1`-`9`. The screen follows when the
 * workspace says it changed.
 */
export function applyAction(workspace: Workspace, shell: ViewerShell, action: PaneAction, digit: string): void {
	const pane = workspace.focused;
	switch (action) {
		case 'focus-next':
		case 'focus-previous': {
			workspace.focusBy(action === 'focus-next' ? 1 : -1);
			return;
		}

		case 'focus-number': {
			workspace.focusIndex(Number(digit) - 1);
			return;
		}

		case 'zoom': {
			workspace.toggleZoom();
			return;
		}

		case 'close': {
			workspace.closeFocused();
			return;
		}

		case 'timestamps': {
			workspace.cycleTimestamps();
			return;
		}

		case 'pause-all': {
			workspace.togglePauseAll();
			return;
		}

		case 'redraw': {
			shell.redraw();
			return;
		}

		case 'suspend': {
			shell.suspend();
			return;
		}

		case 'reconnect':
		case 'reconnect-all': {
			const panes = action === 'reconnect' ? (pane ? [pane] : []) : workspace.panes;
			for (const each of panes) {
				each.reconnect();
			}

			workspace.say(action === 'reconnect' ? 'reconnecting the focused pane now' : `reconnecting ${panes.length} panes now`);
			return;
		}

		case 'copy': {
			copyCursorLine(workspace, shell);
			return;
		}

		default: {
			if (pane) {
				applyPaneAction(workspace, action);
				workspace.changed();
			}
		}
	}
}

/** `c`: the line as the pane shows it (time, level, [task], message), onto the clipboard. */
function copyCursorLine(workspace: Workspace, shell: ViewerShell): void {
	const store = workspace.focused?.store;
	const line = store?.cursorLine();
	if (!store || !line) {
		return;
	}

	// An age (`34s ago`) is stale once pasted: relative timestamps copy the time itself.
	const mode = workspace.timestamps === 'relative' ? 'absolute' : workspace.timestamps;
	const time = formatTimestamp(line.timestamp, mode, Date.now());
	const shown = line.notice ? line.message : `${linePrefix(time, line.level, line.label === store.ownLabel ? undefined : line.label)}${line.message}`;
	void shell.copy(shown).then((copied) => {
		workspace.say(copied.message, !copied.ok);
	});
}

/** Keys that act on the focused pane's store (and its pager, where the lines it read depend on the key). */
function applyPaneAction(workspace: Workspace, action: PaneAction): void {
	const {store, pager} = workspace.focused!;
	switch (action) {
		case 'level-up':
		case 'level-down': {
			store.stepLevel(action === 'level-up' ? 1 : -1);
			// Lines read under the old floor beyond an end are dropped (history-pager.ts).
			pager.filterChanged();
			break;
		}

		case 'match-next':
		case 'match-previous': {
			const found = store.jumpToMatch(action === 'match-next' ? 1 : -1);
			if (found === 'none') {
				workspace.say(store.searchText ? 'no match' : 'no search: press s first', true);
			} else if (found === 'wrapped') {
				// vim's words, which most users have read before.
				workspace.say(action === 'match-next' ? 'search hit BOTTOM, continuing at TOP' : 'search hit TOP, continuing at BOTTOM');
			}

			break;
		}

		case 'error-next':
		case 'error-previous': {
			if (!store.jumpToError(action === 'error-next' ? 1 : -1)) {
				workspace.say(`no ${action === 'error-next' ? 'later' : 'earlier'} ERROR line`, true);
			}

			// `e` goes to the new ERROR lines: the title's `2 ERROR 5 WARN new` is read.
			if (action === 'error-next') {
				workspace.focused!.attention.seen();
			}

			break;
		}

		case 'pause': {
			store.togglePause();
			break;
		}

		case 'context': {
			// The status bar says `context 3` while it is on; a message would push that item out for its seconds.
			const lines = store.cycleContext();
			if (lines > 0 && store.filterText === '' && store.levelFloor === undefined) {
				workspace.say(`context ${lines}: shown once a filter or level floor hides lines`);
			}

			break;
		}

		case 'mark': {
			const marked = store.toggleMark();
			workspace.say(marked === undefined ? 'no line to mark' : `${marked ? 'marked' : 'unmarked'}: ${counted(store.marks.size, 'mark')}, u / U go to them`, marked === undefined);
			break;
		}

		case 'mark-next':
		case 'mark-previous': {
			if (!store.jumpToMark(action === 'mark-next' ? 1 : -1)) {
				workspace.say(store.marks.size === 0 ? 'no marks: m marks the cursor line' : `no ${action === 'mark-next' ? 'later' : 'earlier'} mark shown`, true);
			}

			break;
		}

		case 'down':
		case 'up': {
			store.scroll(action === 'down' ? 1 : -1);
			break;
		}

		case 'page-down':
		case 'page-up': {
			store.page(action === 'page-down' ? 1 : -1);
			break;
		}

		case 'half-down':
		case 'half-up': {
			store.halfPage(action === 'half-down' ? 1 : -1);
			break;
		}

		case 'top': {
			store.top();
			break;
		}

		case 'bottom': {
			store.followLive();
			break;
		}

		case 'wrap': {
			store.toggleWrap();
			break;
		}

		case 'line-start':
		case 'line-end': {
			store.scrollToLineEdge(action === 'line-end');
			break;
		}

		case 'left':
		case 'right': {
			if (store.wrap) {
				workspace.say('wrap is on: press w to turn it off and scroll sideways');
			}

			store.scrollSideways(action === 'right' ? SIDEWAYS_COLUMNS : -SIDEWAYS_COLUMNS);
			break;
		}

		default: {
			break;
		}
	}
}
