import {useInput, type Key} from 'ink';
import type {Workspace} from '../../model/workspace.js';
import {applyAction, type Mode, type ViewerControls} from '../actions.js';
import {actionFor, type Action} from '../keymap.js';

const PROMPTING = new Set<Action>(['quit', 'help', 'open', 'filter', 'search']);

/** A key with no modifier: for plain characters handed back to the panes. */
export const PLAIN_KEY: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

/** Carries out the log view's keys in `input` (one key, or a run of plain characters). */
export function pressKeys(workspace: Workspace, input: string, key: Key, controls: ViewerControls): void {
	// Ink hands over a run of plain characters as one input (a paste, or keys typed faster than a
	// read, as tmux send-keys does); in the log view each character is a key of its own.
	const keys = input.length > 1 && !key.ctrl && !key.meta ? [...input] : [input];
	for (const [index, each] of keys.entries()) {
		const action = actionFor(each, key);
		if (action) {
			applyAction(workspace, action, each, controls);
		}

		// A key that opens a prompt or an overlay takes the rest of the run away from the panes.
		if (action && PROMPTING.has(action) && index < keys.length - 1) {
			controls.typeAhead(keys.slice(index + 1).join(''));
			break;
		}
	}

	workspace.changed(true);
}

/** The log view's keys, active only in normal mode so prompts and overlays get theirs alone. */
export function useViewerKeys(workspace: Workspace, mode: Mode, controls: ViewerControls): void {
	useInput(
		(input, key) => {
			// Keys that come before React has drawn the prompt a key opened (one read of stdin holding
			// `/ERROR⏎`, as tmux send-keys and fast typists produce) belong to that prompt.
			if (controls.mode() !== 'normal') {
				controls.typeAhead(key.return ? '\r' : input);
				return;
			}

			pressKeys(workspace, input, key, controls);
		},
		{isActive: mode === 'normal'},
	);

	// Ctrl-C quits from prompts and overlays too; in the help overlay any other key closes it.
	useInput(
		(input, key) => {
			if (key.ctrl && input === 'c') {
				controls.quit();
			} else if (mode === 'help') {
				controls.setMode('normal');
			}
		},
		{isActive: mode !== 'normal'},
	);
}
