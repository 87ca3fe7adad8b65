import {formatTimestamp} from '../model/timestamps.js';
import type {Workspace} from '../model/workspace.js';
import {linePrefix} from '../protocol/line-text.js';
import type {Copied} from './clipboard.js';
import type {Action} from './keymap.js';

/** The overlays and prompts that take the keyboard from the panes. */
export type Mode = 'normal' | 'help' | 'picker' | 'filter' | 'search';

export type ViewerControls = {
	setMode: (mode: Mode) => void;
	/** The mode as of the last key, before React has drawn it. */
	mode: () => Mode;
	quit: () => void;
	/** Puts text on the user's clipboard (clipboard.ts: tmux's buffer in tmux, else OSC 52); says how. */
	copy: (text: string) => Promise<Copied>;
	/** Ctrl-L: draws the whole screen again. */
	redraw: () => void;
	/** Ctrl-Z: gives the terminal back and stops, as less does; `fg` brings the viewer back. */
	suspend: () => void;
};

/** Carries out one key's action on the model. The UI redraws when the workspace says it changed. */
export function applyAction(workspace: Workspace, action: Action, input: string, controls: ViewerControls): void {
	// A status-bar message answers the key before (`no earlier ERROR line`): the next key makes it old news.
	workspace.hush();
	const pane = workspace.focused;
	const store = pane?.store;
	switch (action) {
		case 'quit': {
			controls.quit();
			return;
		}

		case 'help': {
			controls.setMode('help');
			return;
		}

		case 'open': {
			controls.setMode('picker');
			return;
		}

		case 'filter':
		case 'search': {
			if (store) {
				controls.setMode(action);
			}

			return;
		}

		case 'focus-next': {
			workspace.focusBy(1);
			return;
		}

		case 'focus-previous': {
			workspace.focusBy(-1);
			return;
		}

		case 'focus-number': {
			workspace.focusIndex(Number(input) - 1);
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
			controls.redraw();
			return;
		}

		case 'suspend': {
			controls.suspend();
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
			// The line as the pane shows it: time, level, [task], message.
			const line = store?.cursorLine();
			if (line) {
				const time = formatTimestamp(line.timestamp, workspace.timestamps, Date.now());
				const shown = line.notice ? line.message : `${linePrefix(time, line.level, line.label === store!.ownLabel ? undefined : line.label)}${line.message}`;
				void controls.copy(shown).then((copied) => {
					workspace.say(copied.message, !copied.ok);
				});
			}

			return;
		}

		default: {
			if (store) {
				applyPaneAction(workspace, action);
				workspace.changed();
			}
		}
	}
}

/** Keys that act on the focused pane's store alone. */
function applyPaneAction(workspace: Workspace, action: Action): void {
	const store = workspace.focused!.store;
	switch (action) {
		case 'level-up':
		case 'level-down': {
			store.stepLevel(action === 'level-up' ? 1 : -1);
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

			break;
		}

		case 'pause': {
			store.togglePause();
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

			store.scrollSideways(action === 'right' ? 8 : -8);
			break;
		}

		default: {
			break;
		}
	}
}
