import type {Pane} from './pane.js';

/** The focused pane's store, as the prompts use it (its filter and its search). */
export type PromptTarget = Pane['store'];

/** What the bottom-line prompt does for `/` (filter) and `s` (search) on the focused pane's store. */
export type PromptKind = {
	label: string;
	initial: (store: PromptTarget) => string;
	/** Applies the text as typed; returns the error to show (an invalid regex), if any. */
	apply: (store: PromptTarget, text: string) => string | undefined;
	/** Enter: the text stays applied. */
	submit: (store: PromptTarget) => void;
};

export type PromptName = 'filter' | 'search';

export const PROMPTS: Record<PromptName, PromptKind> = {
	filter: {
		label: '/',
		initial: (store) => store.filterText,
		apply(store, text) {
			store.setFilter(text);
			return store.filterError;
		},
		submit() {
			// The filter was applied as typed.
		},
	},
	search: {
		label: 'search:',
		initial: (store) => store.searchText,
		apply(store, text) {
			store.setSearch(text);
			return store.searchError;
		},
		submit(store) {
			// Following a live pane, the match wanted is the newest one above, not the oldest in the buffer.
			store.jumpToMatch(store.following ? -1 : 1, true);
		},
	},
};
