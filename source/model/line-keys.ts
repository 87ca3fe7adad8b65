import {lineActionFor} from './key-table.js';
import {editLine} from './line-edit.js';
import type {PromptSession} from './prompt-session.js';
import type {SourcePickerState} from './source-picker-state.js';
import type {ViewerKey} from './viewer-key.js';

/*
 * The keys of a line being typed: the filter, search and time prompts and the source picker's query. The viewer
 * state routes them here; what they need of it is said by the two hosts below.
 */

/** What a prompt's keys need of the viewer: to go back to the panes. */
export type LineHost = {setMode(mode: 'normal'): void};

/** What the picker's keys need: to open its choice, and the keys waiting for its catalog. */
export type PickerHost = LineHost & {choose(): void; pending: ViewerKey[] | undefined};

/** A key in the filter, search or time prompt: readline's editing, ↑/↓ its history, Enter keeps (or says what is wrong), Esc clears. */
export function promptKey(viewer: LineHost, session: PromptSession, key: ViewerKey): void {
	const action = lineActionFor(key);
	switch (action) {
		case 'submit': {
			if (session.submit()) {
				viewer.setMode('normal');
			}

			return;
		}

		case 'cancel': {
			session.cancel();
			viewer.setMode('normal');
			return;
		}

		case 'previous':
		case 'next': {
			if (action === 'previous') {
				session.editor.historyBack();
			} else {
				session.editor.historyForward();
			}

			session.changed();
			return;
		}

		default: {
			if (editLine(session.editor, action, key)) {
				session.changed();
			}
		}
	}
}

/** A key in the source picker: its query's editing, ↑/↓ choose, Enter opens (or waits for the catalog), Esc closes. */
export function pickerKey(viewer: PickerHost, picker: SourcePickerState, key: ViewerKey): void {
	const action = lineActionFor(key);
	switch (action) {
		case 'submit': {
			if (picker.catalog.state === 'loading') {
				viewer.pending = [];
			} else {
				viewer.choose();
			}

			return;
		}

		case 'cancel': {
			viewer.setMode('normal');
			return;
		}

		case 'previous':
		case 'next': {
			picker.move(action === 'previous' ? -1 : 1);
			return;
		}

		default: {
			if (editLine(picker.editor, action, key)) {
				picker.edited();
			}
		}
	}
}

