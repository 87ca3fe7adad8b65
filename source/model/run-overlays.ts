import {listActionFor, lineActionFor} from './key-table.js';
import {editLine} from './line-edit.js';
import type {Pane} from './pane.js';
import {sourceAtRun, streamRefOf, type RunPin} from './run-access.js';
import type {RunListState} from './run-list-state.js';
import {taskKey, type RunOverviewState} from './run-overview-state.js';
import type {ViewerKey} from './viewer-key.js';
import type {Workspace} from './workspace.js';

/** What the run list (`H`) and the run's overview (`i`) need of the viewer: its panes, and to be closed. */
export type OverlayHost = {
	readonly workspace: Workspace;
	/** Back to the panes. */
	close(): void;
};

/** An overlay and the pane it was opened from (the run list opens its run there). */
export type RunListOverlay = {state: RunListState; pane: Pane};
export type OverviewOverlay = {state: RunOverviewState; pane: Pane};

/** Rows PgUp and PgDn move in the lists. */
const LIST_PAGE = 10;

function moveBy(action: string): number | undefined {
	const rows = {up: -1, down: 1, 'page-up': -LIST_PAGE, 'page-down': LIST_PAGE} as Record<string, number>;
	return rows[action];
}

/** A key in the run list: its `/` line when open, else the list's keys (listActionFor). */
export function runListKey(host: OverlayHost, {state: list, pane}: RunListOverlay, key: ViewerKey): void {
	if (list.query) {
		const action = lineActionFor(key);
		if (action === 'submit') {
			list.submitQuery();
		} else if (action === 'cancel') {
			list.query = undefined;
		} else {
			editLine(list.query, action, key);
		}

		return;
	}

	const action = listActionFor(key);
	// Before the first page, keys wait for it (Esc does not: it closes now).
	if (list.load.state === 'loading' && list.runs.length === 0 && action !== 'close') {
		list.waiting.push(key);
		return;
	}

	const step = action && moveBy(action);
	if (step !== undefined) {
		list.move(step);
	} else if (action === 'choose' || action === 'choose-new') {
		openRun(host, list, pane, action === 'choose-new');
	} else if (action === 'grep') {
		list.startQuery();
	} else if (action === 'close') {
		host.close();
	}
}

/** Opens `source` in place of `pane`, or in a new pane; says what is wrong instead. */
function openSource(workspace: Workspace, pane: Pane | undefined, source: string, pin: RunPin | undefined): Pane | undefined {
	if (pane && workspace.panes.includes(pane)) {
		return workspace.replace(pane, source, pin);
	}

	const problem = workspace.open(source);
	if (problem) {
		workspace.say(problem, true);
		return undefined;
	}

	const opened = workspace.focused!;
	opened.pin = pin;
	return opened;
}

/**
 * Enter or O in the run list: the chosen run in the list's pane, in place, or in a new pane; the newest
 * run is the live one (as `]` past it). With marks, the pattern is the pane's search, so n finds them.
 */
function openRun(host: OverlayHost, list: RunListState, pane: Pane, inNewPane: boolean): void {
	const run = list.choice();
	const ref = streamRefOf(pane.source);
	if (!run || !ref) {
		return;
	}

	const index = list.runs.indexOf(run);
	const live = sourceAtRun(ref, undefined);
	const source = index === 0 ? live : sourceAtRun(ref, run.runId);
	const opened = openSource(host.workspace, inNewPane ? undefined : pane, source, index === 0 ? undefined : {live, back: index, run});
	if (opened && list.grep) {
		opened.store.setSearch(list.grep);
	}

	host.close();
}

/** A key in the run's overview: move, Enter (or O) opens the chosen task in a new pane at its first ERROR line. */
export function overviewKey(host: OverlayHost, overview: RunOverviewState, key: ViewerKey): void {
	const action = listActionFor(key);
	if (overview.load.state === 'loading' && action !== 'close') {
		overview.waiting.push(key);
		return;
	}

	const step = action && moveBy(action);
	if (step !== undefined) {
		overview.move(step);
	} else if (action === 'choose' || action === 'choose-new') {
		openTask(host, overview);
	} else if (action === 'close') {
		host.close();
	}
}

/**
 * Enter or O in the overview: the chosen task in a new pane, the cursor on its first ERROR line wherever
 * that is in the run. The pager reads the lines around it from the server when the stream has not brought
 * it (it is older than the tail a stream starts with), and puts the cursor there once, as the answer lands;
 * a key that moves the view meanwhile cancels the move, so nothing jumps later under the user's keys.
 */
function openTask(host: OverlayHost, overview: RunOverviewState): void {
	const task = overview.choice();
	const name = taskKey(task);
	if (!task || !name) {
		return;
	}

	const {workspace} = host;
	const pane = openSource(workspace, undefined, `${name}?run=${overview.runId}`, undefined);
	host.close();
	if (pane && task.firstError) {
		void pane.pager.goTo({id: task.firstError.id}).then((outcome) => {
			if (outcome.kind === 'none' && workspace.panes.includes(pane)) {
				workspace.say('its first ERROR line was not found in the run: e goes to the next ERROR', true);
				workspace.changed(true);
			}
		});
	}
}
