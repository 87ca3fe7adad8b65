import {useInput} from 'ink';
import type {Workspace} from '../../model/workspace.js';
import {applyAction, type Mode, type ViewerControls} from '../actions.js';
import {actionFor} from '../keymap.js';

/** The log view's keys, active only in normal mode so prompts and overlays get theirs alone. */
export function useViewerKeys(workspace: Workspace, mode: Mode, controls: ViewerControls): void {
	useInput(
		(input, key) => {
			const action = actionFor(input, key);
			if (action) {
				applyAction(workspace, action, input, controls);
			}
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
