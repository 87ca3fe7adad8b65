import type {PaneStore} from '../model/pane-store.js';

/** What the bottom-line prompt does for `/` (filter) and `s` (search) on the focused pane's store. */
export type PromptKind = {
	label: string;
	initial: (store: PaneStore) => string;
	/** Applies the text as typed; returns the error to show (an invalid regex), if any. */
	apply: (store: PaneStore, text: string) => string | undefined;
	/** Enter: the text stays applied. */
	submit: (store: PaneStore) => void;
};

export const PROMPTS: Record<'filter' | 'search', PromptKind> = {
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
