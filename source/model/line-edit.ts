import type {LineAction} from './key-table.js';
import type {LineEditor} from './line-editor.js';
import type {ViewerKey} from './viewer-key.js';

/**
 * A key on a line being typed: a character goes in at the cursor, readline keys edit or move. True when
 * the text changed (the prompt then applies it to the pane; the picker matches again).
 */
export function editLine(editor: LineEditor, action: LineAction | undefined, key: ViewerKey): boolean {
	if (key.kind === 'char') {
		editor.insert(key.char);
		return true;
	}

	const edits: Partial<Record<LineAction, () => void>> = {
		backspace: () => editor.backspace(),
		delete: () => editor.deleteForward(),
		'kill-to-start': () => editor.killToStart(),
		'kill-to-end': () => editor.killToEnd(),
		'kill-word': () => editor.killWordBack(),
	};
	const moves: Partial<Record<LineAction, () => void>> = {
		left: () => editor.left(),
		right: () => editor.right(),
		home: () => editor.home(),
		end: () => editor.end(),
		'word-left': () => editor.wordLeft(),
		'word-right': () => editor.wordRight(),
	};
	if (action && edits[action]) {
		edits[action]();
		return true;
	}

	if (action && moves[action]) {
		moves[action]();
	}

	return false;
}
