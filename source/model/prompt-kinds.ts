import {exportEdited, exportInitial, exportSubmit} from './export-prompt.js';
import type {Pane} from './pane.js';
import {jumpToTime} from './time-jump.js';
import {parseTimeTarget} from './time-target.js';
import type {Workspace} from './workspace.js';

/** What a prompt acts on: the focused pane when it opened, in its workspace (which says where `T` went). */
export type PromptTarget = {pane: Pane; workspace: Workspace};

/** What the bottom-line prompt does for `/` (filter), `s` (search), `T` (a time) and `S` (a file), on the focused pane. */
export type PromptKind = {
	label: string;
	/** Said beside the line while nothing is wrong. */
	hint: string;
	initial: (target: PromptTarget) => string;
	/** Applies the text as typed (the filter and the search follow the line); returns the error to show. */
	apply?: (target: PromptTarget, text: string) => string | undefined;
	/** Enter. An error keeps the prompt open, saying it (a time that is not one). */
	submit: (target: PromptTarget, text: string) => string | undefined;
	/** Esc. */
	cancel?: (target: PromptTarget) => void;
};

export type PromptName = 'filter' | 'search' | 'time' | 'export';

const KEEP_HINT = 'Enter keep · Esc clear · ↑ earlier';

export const PROMPTS: Record<PromptName, PromptKind> = {
	filter: {
		label: '/',
		hint: KEEP_HINT,
		initial: ({pane}) => pane.store.filterText,
		apply({pane}, text) {
			pane.store.setFilter(text);
			// Lines read under the old filter beyond an end are dropped (history-pager.ts).
			pane.pager.filterChanged();
			return pane.store.filterError;
		},
		// The filter was applied as typed.
		submit: () => undefined,
		cancel({pane}) {
			pane.store.setFilter('');
			pane.pager.filterChanged();
		},
	},
	search: {
		label: 'search:',
		hint: KEEP_HINT,
		initial: ({pane}) => pane.store.searchText,
		apply({pane}, text) {
			pane.store.setSearch(text);
			return pane.store.searchError;
		},
		submit({pane}) {
			// Following a live pane, the match wanted is the newest one above, not the oldest in the buffer.
			pane.store.jumpToMatch(pane.store.following ? -1 : 1, true);
			return undefined;
		},
		cancel({pane}) {
			pane.store.setSearch('');
		},
	},
	time: {
		label: 'time:',
		hint: '14:05 · 14:05:30 · -10m · ISO · Enter go · Esc cancel',
		initial: () => '',
		submit({pane, workspace}, text) {
			const now = Date.now();
			// A clock time is on the day of the cursor line (the newest line while following).
			const cursor = Date.parse(pane.store.cursorLine()?.timestamp ?? '');
			const target = parseTimeTarget(text, Number.isNaN(cursor) ? now : cursor, now);
			if ('error' in target) {
				return target.error;
			}

			jumpToTime(workspace, pane, target);
			return undefined;
		},
	},
	// The shown lines to a file (export-prompt.ts): a file that exists needs a second Enter.
	export: {
		label: 'save to:',
		hint: 'Enter write · .ndjson / .jsonl writes JSON · Esc cancel',
		initial: exportInitial,
		apply: exportEdited,
		// Only the marked lines while any line is marked (m), as lnav writes them.
		submit: (target, text) => exportSubmit(target, text, target.pane.store.marks.size > 0 ? {only: (position) => target.pane.store.marks.has(position)} : {}),
	},
};
