import {actionFor, lineActionFor} from './key-table.js';
import {PromptHistory} from './line-editor.js';
import {pickerKey, promptKey} from './line-keys.js';
import {mergedKey, mergedPrompt, mergedViewOf} from './merged-keys.js';
import type {MergedView} from './merged-view.js';
import {applyAction} from './pane-actions.js';
import {PROMPTS, type PromptName} from './prompt-kinds.js';
import {PromptSession} from './prompt-session.js';
import {paneRunId} from './run-access.js';
import {RunListState} from './run-list-state.js';
import {overviewKey, runListKey, type OverlayHost, type OverviewOverlay, type RunListOverlay} from './run-overlays.js';
import {RunOverviewState} from './run-overview-state.js';
import {paneEntity, RunSteps} from './run-steps.js';
import type {SourceEntry} from './source-catalog.js';
import {SourcePickerState} from './source-picker-state.js';
import {char, named, type ViewerKey} from './viewer-key.js';
import type {ViewerShell} from './viewer-shell.js';
import type {Workspace} from './workspace.js';

/** What has the keyboard: the panes, the `?` help, the source picker, the run list, the run's overview, or a prompt on the bottom line. */
export type Mode = 'normal' | 'help' | 'picker' | 'runs' | 'overview' | PromptName;

export type ViewerStateOptions = {
	workspace: Workspace;
	/** The server's catalog, fetched each time the picker opens. */
	loadSources: () => Promise<SourceEntry[]>;
	shell: ViewerShell;
};

/** Lines a wheel notch scrolls, as most terminals and less do. */
const WHEEL_LINES = 3;

/**
 * The viewer's state apart from the panes: which mode has the keyboard, the open prompt (its line, the
 * pane it acts on, its error) or picker, keys waiting for the catalog, and whether a paste is under way.
 * Keys come in through `feed` (as k9s's CmdBuff knows whether its prompt is active, the state knows what
 * a key meets); the App only draws it. No React here: every key can be tested without a render.
 */
export class ViewerState {
	readonly workspace: Workspace;
	readonly shell: ViewerShell;
	mode: Mode = 'normal';
	/** The filter, search or time prompt, while its mode is on. */
	prompt: PromptSession | undefined;
	/** The source picker, while its mode is on. */
	picker: SourcePickerState | undefined;
	/**
	 * Enter came in the picker before its catalog: the pick is made once the catalog is there, and the keys
	 * typed meanwhile wait here, for whatever the pick leads to (a new pane, or the picker saying why not).
	 */
	pending: ViewerKey[] | undefined;
	/** Between the terminal's paste markers: text, whose line breaks are spaces and never Enter. */
	paste = false;
	/** `H`: the focused pane's runs, while its mode is on, and the pane it opens a run in. */
	runList: RunListOverlay | undefined;
	/** `i`: the focused pane's run's tasks, while its mode is on. */
	overview: OverviewOverlay | undefined;
	/** `[` and `]`: panes moved to earlier and later runs. */
	readonly steps: RunSteps;
	/** `M`: every pane's lines in one view by time, while it is open (merged-view.ts); `M` or Esc closes it. */
	merged: MergedView | undefined;
	readonly #loadSources: () => Promise<SourceEntry[]>;
	/** Times typed at `T`, for ↑ in its prompt (the filter's and the search's are the workspace's). */
	readonly #times = new PromptHistory();
	/** File names typed at `S`, likewise. */
	readonly #files = new PromptHistory();
	#merged: MergedView | undefined;
	#started = false;

	constructor({workspace, loadSources, shell}: ViewerStateOptions) {
		this.workspace = workspace;
		this.shell = shell;
		this.#loadSources = loadSources;
		this.steps = new RunSteps(workspace, workspace.runs, loadSources);
	}

	/** Once, when the viewer is first on screen: with no source open, it starts on the picker. */
	start(): void {
		if (!this.#started) {
			this.#started = true;
			if (this.workspace.panes.length === 0) {
				this.setMode('picker');
				this.workspace.changed(true);
			}
		}
	}

	/** The keys of one read, in order, each meeting the mode the key before left; then one frame at once. */
	feed(keys: readonly ViewerKey[]): void {
		for (const key of keys) {
			route(this, key);
		}

		this.settle();
		this.workspace.changed(true);
	}

	/** The prompt's line, edited by a burst of keys, is applied to its pane once. */
	settle(): void {
		this.prompt?.flush();
	}

	setMode(next: Mode): void {
		const focused = this.workspace.focused;
		this.mode = next;
		// In the merged view, `/` and `s` are its own filter and search.
		const kind = this.merged && (next === 'filter' || next === 'search') ? mergedPrompt(this.merged, next) : isPrompt(next) ? PROMPTS[next] : undefined;
		this.prompt = kind && focused ? new PromptSession(kind, {pane: focused, workspace: this.workspace}, this.#historyOf(next as PromptName)) : undefined;
		this.pending = undefined;
		if (next === 'picker') {
			const picker = new SourcePickerState(this.#loadSources, () => {
				this.#catalogLoaded(picker);
			});
			this.picker = picker;
		} else {
			this.picker = undefined;
		}

		this.runList?.state.dispose();
		this.runList = undefined;
		this.overview?.state.dispose();
		this.overview = undefined;
		const pane = this.workspace.focused;
		const access = this.workspace.runs;
		if (next === 'runs' && pane && access) {
			const state: RunListState = new RunListState(access, paneEntity(pane, this.#loadSources), () => {
				this.#overlayAnswered(state);
			});
			this.runList = {state, pane};
		}

		const runId = pane && paneRunId(pane.source, pane.run?.runId);
		if (next === 'overview' && pane && access && runId) {
			const state: RunOverviewState = new RunOverviewState(access, runId, () => {
				this.#overlayAnswered(state);
			});
			this.overview = {state, pane};
		}
	}

	#historyOf(prompt: PromptName): PromptHistory {
		return prompt === 'time' ? this.#times : prompt === 'export' ? this.#files : this.workspace.histories[prompt];
	}

	/** `M`: opens the merged view over every pane, or closes it. */
	toggleMerged(): void {
		// One merged view for the viewer's life: its filter, level and search are there when M opens it again.
		this.#merged ??= mergedViewOf(this.workspace);
		this.merged = this.merged || this.workspace.panes.length === 0 ? undefined : this.#merged;
		this.workspace.changed(true);
	}

	/** What the run list and the overview need of the viewer. */
	get host(): OverlayHost {
		return {
			workspace: this.workspace,
			close: () => {
				this.setMode('normal');
			},
		};
	}

	/**
	 * The run list or the overview heard from the server: a failure is said in the status bar too, and keys
	 * typed before the first answer act on it now. An answer to an overlay closed since changes nothing.
	 */
	#overlayAnswered(state: RunListState | RunOverviewState): void {
		if (state !== this.runList?.state && state !== this.overview?.state) {
			return;
		}

		if (state.load.state === 'error') {
			this.workspace.say(state.load.message, true);
		}

		if (state.load.state !== 'loading') {
			for (const key of state.waiting.splice(0)) {
				route(this, key);
			}
		}

		this.workspace.changed(true);
	}

	/** Enter in the picker: opens its choice and closes it, or says what is wrong. */
	choose(): void {
		const picker = this.picker!;
		const source = picker.choice();
		picker.problem = source === undefined ? undefined : this.workspace.open(source);
		if (source !== undefined && !picker.problem) {
			this.setMode('normal');
		}
	}

	#catalogLoaded(picker: SourcePickerState): void {
		if (picker === this.picker && this.pending) {
			const keys = this.pending;
			this.pending = undefined;
			this.choose();
			for (const key of keys) {
				route(this, key);
			}

			this.settle();
		}

		this.workspace.changed(true);
	}
}

const isCtrlC = (key: ViewerKey) => key.kind === 'ctrl' && key.char === 'c';
const isPrompt = (mode: Mode): mode is PromptName => mode === 'filter' || mode === 'search' || mode === 'time' || mode === 'export';

/**
 * One key, to the mode of the moment, through the one key table (key-table.ts). Ctrl-L and Ctrl-Z work
 * in every mode, as in less; Ctrl-C quits from the panes and cancels anything else, as in less and vim.
 */
export function route(viewer: ViewerState, key: ViewerKey): void {
	if (key.kind === 'paste') {
		viewer.paste = key.start;
		return;
	}

	// A terminal sends Alt-q as ESC q, and Esc typed just before q reaches us the same way (Ink calls both
	// Alt-q): where Alt with that key means nothing, it is the two keys it was typed as.
	if (key.kind === 'alt' && !(viewer.mode !== 'normal' && viewer.mode !== 'help' && lineActionFor(key))) {
		route(viewer, named('escape'));
		route(viewer, char(key.char));
		return;
	}

	// A line break inside a paste is a space of the pasted text, never Enter.
	const typed = viewer.paste && key.kind === 'key' && key.name === 'enter' ? char(' ') : key;
	const action = actionFor(typed);
	if (action === 'redraw' || action === 'suspend') {
		viewer.shell[action]();
		return;
	}

	if (typed.kind === 'wheel') {
		if (viewer.mode === 'normal' && viewer.merged) {
			viewer.merged.sync();
			viewer.merged.viewport.moveCursor(typed.up ? -WHEEL_LINES : WHEEL_LINES);
		} else if (viewer.mode === 'normal') {
			viewer.workspace.paneAt(typed.column, typed.row)?.store.scroll(typed.up ? -WHEEL_LINES : WHEEL_LINES);
		}

		return;
	}

	// Waiting for the catalog after an Enter: the keys are for what the pick leads to. Ctrl-C gives up.
	if (viewer.pending && !isCtrlC(typed)) {
		viewer.pending.push(typed);
		return;
	}

	switch (viewer.mode) {
		case 'help': {
			// Any key closes the help.
			viewer.setMode('normal');
			return;
		}

		case 'filter':
		case 'search':
		case 'time':
		case 'export': {
			promptKey(viewer, viewer.prompt!, typed);
			return;
		}

		case 'picker': {
			pickerKey(viewer, viewer.picker!, typed);
			return;
		}

		case 'runs': {
			runListKey(viewer.host, viewer.runList!, typed);
			return;
		}

		case 'overview': {
			overviewKey(viewer.host, viewer.overview!.state, typed);
			return;
		}

		case 'normal': {
			// The merged view takes the keys that scroll and mark, and Esc closes it.
			if (viewer.merged && !viewer.paste && ((typed.kind === 'key' && typed.name === 'escape') || action === 'merged')) {
				viewer.toggleMerged();
				return;
			}

			if (viewer.merged && !viewer.paste && mergedKey(viewer.merged, viewer.workspace, action, typed)) {
				return;
			}

			// A paste is text for a prompt; in the panes its characters are not keys.
			if (action && !viewer.paste) {
				paneKey(viewer, action, typed);
			}
		}
	}
}

function paneKey(viewer: ViewerState, action: NonNullable<ReturnType<typeof actionFor>>, key: ViewerKey): void {
	const {workspace} = viewer;
	// A status-bar message answers the key before (`no earlier ERROR line`): the next key makes it old news.
	workspace.hush();
	switch (action) {
		case 'quit': {
			viewer.shell.quit();
			return;
		}

		case 'help':
		case 'open': {
			viewer.setMode(action === 'help' ? 'help' : 'picker');
			return;
		}

		case 'filter':
		case 'search':
		case 'time':
		case 'export': {
			if (workspace.focused) {
				viewer.setMode(action);
			}

			return;
		}

		case 'run-earlier':
		case 'run-later': {
			if (workspace.focused) {
				viewer.steps.step(workspace.focused, action === 'run-earlier' ? 1 : -1);
			}

			return;
		}

		case 'merged': {
			viewer.toggleMerged();
			return;
		}

		case 'runs':
		case 'overview': {
			const pane = workspace.focused;
			if (!pane) {
				return;
			}

			if (!workspace.runs) {
				workspace.say('no dbtail server: runs are read from one', true);
			} else if (action === 'overview' && !paneRunId(pane.source, pane.run?.runId)) {
				workspace.say('this pane shows no run yet: i needs one', true);
			} else {
				viewer.setMode(action);
			}

			return;
		}

		default: {
			// G in a pane moved to an earlier run is the live run again, not the end of the earlier one.
			if (action === 'bottom' && workspace.focused && viewer.steps.live(workspace.focused)) {
				return;
			}

			applyAction(workspace, viewer.shell, action, key.kind === 'char' ? key.char : '');
		}
	}
}
