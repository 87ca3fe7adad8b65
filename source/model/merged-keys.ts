import type {Action} from './key-table.js';
import {MergedView} from './merged-view.js';
import type {PromptKind} from './prompt-kinds.js';
import type {ViewerKey} from './viewer-key.js';
import type {Workspace} from './workspace.js';

/** Columns `h` / `l` scroll sideways, as in a pane. */
const SIDEWAYS_COLUMNS = 8;

/** The merged view over a workspace's panes, in their order on screen (their numbers), at the workspace's timestamps. */
export function mergedViewOf(workspace: Workspace): MergedView {
	return new MergedView(
		() => workspace.panes.map((pane, index) => ({id: pane.id, number: index + 1, window: pane.store.window, shared: pane.history !== undefined})),
		{timestamps: () => workspace.timestamps},
	);
}

/** The filter and search prompts of the merged view: its own filter and search, the panes' untouched. */
export function mergedPrompt(view: MergedView, kind: 'filter' | 'search'): PromptKind {
	const keep = 'Enter keep · Esc clear · ↑ earlier';
	if (kind === 'filter') {
		return {label: '/', hint: keep, initial: () => view.filterText, apply: (_target, text) => view.setFilter(text), submit: () => undefined, cancel: () => view.setFilter('')};
	}

	return {
		label: 'search:',
		hint: keep,
		initial: () => view.searchText,
		apply: (_target, text) => view.setSearch(text),
		submit() {
			// Following, the match wanted is the newest one above, as in a pane.
			view.jump(view.viewport.following ? -1 : 1, 'match');
			return undefined;
		},
		cancel: () => view.setSearch(''),
	};
}

/** Keys that mean nothing in the merged view (they act on one pane): said so, not done behind it. */
const PANE_ONLY = new Set<Action>(['focus-next', 'focus-previous', 'focus-number', 'zoom', 'close', 'time', 'run-earlier', 'run-later', 'runs', 'overview', 'export', 'copy']);

/**
 * A key in the panes while the merged view is open: true when it was the merged view's (scrolling, pause,
 * level, n/N, e/E, wrap, sideways); false for keys the viewer handles as ever (quit, help, open, `/`, `s`,
 * `t`, reconnect). Esc and `M` close the view (the caller does).
 */
export function mergedKey(view: MergedView, workspace: Workspace, action: Action | undefined, key: ViewerKey): boolean {
	const {viewport} = view;
	if (key.kind === 'key' && key.name === 'escape') {
		return false;
	}

	if (action) {
		// A status-bar message answers the key before, as in the panes.
		workspace.hush();
	}

	switch (action) {
		case 'down':
		case 'up': {
			view.sync();
			viewport.moveCursor(action === 'down' ? 1 : -1);
			break;
		}

		case 'page-down':
		case 'page-up':
		case 'half-down':
		case 'half-up': {
			view.sync();
			const direction = action.endsWith('down') ? 1 : -1;
			if (action.startsWith('page')) {
				viewport.page(direction);
			} else {
				viewport.halfPage(direction);
			}

			break;
		}

		case 'top': {
			view.sync();
			viewport.top();
			break;
		}

		case 'bottom': {
			viewport.followLive();
			break;
		}

		case 'pause':
		case 'pause-all': {
			view.sync();
			viewport.togglePause();
			break;
		}

		case 'level-up':
		case 'level-down': {
			view.stepLevel(action === 'level-up' ? 1 : -1);
			break;
		}

		case 'match-next':
		case 'match-previous': {
			const found = view.jump(action === 'match-next' ? 1 : -1, 'match');
			if (found === 'none') {
				workspace.say(view.searchText ? 'no match' : 'no search: press s first', true);
			} else if (found === 'wrapped') {
				workspace.say(action === 'match-next' ? 'search hit BOTTOM, continuing at TOP' : 'search hit TOP, continuing at BOTTOM');
			}

			break;
		}

		case 'error-next':
		case 'error-previous': {
			if (view.jump(action === 'error-next' ? 1 : -1, 'error') === 'none') {
				workspace.say(`no ${action === 'error-next' ? 'later' : 'earlier'} ERROR line`, true);
			}

			break;
		}

		case 'wrap': {
			view.toggleWrap();
			break;
		}

		case 'left':
		case 'right':
		case 'line-start':
		case 'line-end': {
			if (view.wrap) {
				workspace.say('wrap is on: press w to turn it off and scroll sideways');
			}

			view.scrollSideways(action === 'left' ? -SIDEWAYS_COLUMNS : action === 'right' ? SIDEWAYS_COLUMNS : action === 'line-start' ? 'start' : 'end');
			break;
		}

		default: {
			if (action && PANE_ONLY.has(action)) {
				workspace.say('the merged view shows every pane: M or Esc goes back to the panes', true);
				break;
			}

			return false;
		}
	}

	workspace.changed();
	return true;
}
