import {useInput, type Key} from 'ink';
import {useRef} from 'react';
import type {LineEditor} from '../../model/line-editor.js';
import type {SourcePickerState} from '../../model/source-picker-state.js';
import type {Workspace} from '../../model/workspace.js';
import {applyAction, type Mode, type ViewerControls} from '../actions.js';
import {readKeys, type TypedKey} from '../input-keys.js';
import {actionFor} from '../keymap.js';
import {layoutPanes} from '../../model/layout.js';
import type {PromptSession} from '../prompt-session.js';

/** A key with no modifier: each character of a run is a key of its own in the log view. */
export const PLAIN_KEY: Key = {
	upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
	return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
	super: false, hyper: false, capsLock: false, numLock: false,
};

/** What the router needs: the mode as of the last key (React may not have drawn it yet) and its state. */
export type RouterTarget = {
	workspace: Workspace;
	controls: ViewerControls;
	mode(): Mode;
	prompt(): PromptSession | undefined;
	picker(): SourcePickerState | undefined;
	/** Rows the picker lists (its selection stays within them). */
	pickerRows(): number;
	/** Opens the source the picker chose; returns what is wrong instead. */
	pick(source: string): string | undefined;
	/** The panes' area (for the wheel: which pane is under the pointer). */
	grid(): {width: number; height: number};
};

/** Lines a wheel notch scrolls, as most terminals and less do. */
const WHEEL_LINES = 3;

/** The wheel scrolls the pane under the pointer, focused or not. */
function wheel(target: RouterTarget, typed: Extract<TypedKey, {name: 'wheel'}>): void {
	const panes = target.workspace.visiblePanes();
	const {width, height} = target.grid();
	let top = 0;
	for (const cells of layoutPanes(panes.length, width, height).rows) {
		let left = 0;
		for (const cell of cells) {
			if (typed.row >= top && typed.row < top + cell.height && typed.column >= left && typed.column < left + cell.width + 1) {
				panes[cell.index]?.store.scroll(typed.up ? -WHEEL_LINES : WHEEL_LINES);
				return;
			}

			left += cell.width + 1;
		}

		top += cells[0]!.height;
	}
}

/** Readline keys on a line; true when the key changed the line. */
function edit(editor: LineEditor, typed: TypedKey): boolean {
	switch (typed.name) {
		case 'text': {
			editor.insert(typed.text);
			return true;
		}

		case 'backspace': {
			editor.backspace();
			return true;
		}

		case 'delete': {
			editor.deleteForward();
			return true;
		}

		case 'kill-to-start': {
			editor.killToStart();
			return true;
		}

		case 'kill-to-end': {
			editor.killToEnd();
			return true;
		}

		case 'kill-word': {
			editor.killWordBack();
			return true;
		}

		case 'left': {
			editor.left();
			return false;
		}

		case 'right': {
			editor.right();
			return false;
		}

		case 'home': {
			editor.home();
			return false;
		}

		case 'end': {
			editor.end();
			return false;
		}

		case 'word-left': {
			editor.wordLeft();
			return false;
		}

		case 'word-right': {
			editor.wordRight();
			return false;
		}

		default: {
			return false;
		}
	}
}

/** The pane key for one character of a run: control characters as the Ctrl keys they are. */
function paneKey(char: string): [string, Key] {
	const code = char.codePointAt(0)!;
	if (code < 0x20 && char !== '\r' && char !== '\t') {
		return [String.fromCodePoint(code + 96), {...PLAIN_KEY, ctrl: true}];
	}

	return [char, {...PLAIN_KEY, return: char === '\r', tab: char === '\t'}];
}

/**
 * All keys go through one handler, one key at a time, to whatever the mode is as of the key before: one
 * read holding `/ERROR⏎G` opens the filter, types ERROR into it, submits, and gives G to the panes, with no
 * frame in between. Prompts edit model objects (LineEditor), so keys faster than React lose nothing.
 */
export function useKeyRouter(target: RouterTarget): void {
	const paste = useRef(false);
	const prompt = (typed: TypedKey, session: PromptSession) => {
		if (typed.name === 'enter' && !paste.current) {
			session.submit();
			target.controls.setMode('normal');
		} else if (typed.name === 'escape') {
			session.cancel();
			target.controls.setMode('normal');
		} else if (typed.name === 'up') {
			session.editor.historyBack();
			session.changed();
		} else if (typed.name === 'down') {
			session.editor.historyForward();
			session.changed();
		} else if (edit(session.editor, typed)) {
			session.changed();
		}
	};

	const picker = (typed: TypedKey, state: SourcePickerState, later: () => void) => {
		if (state.waiting) {
			state.afterEnter.push(later);
			return;
		}

		if (typed.name === 'enter' && !paste.current) {
			if (state.catalog.state === 'loading') {
				state.waiting = true;
				return;
			}

			const source = state.choice(target.pickerRows());
			state.problem = source === undefined ? undefined : target.pick(source);
		} else if (typed.name === 'escape') {
			target.controls.setMode('normal');
		} else if (typed.name === 'up' || (typed.name === 'ctrl' && typed.char === 'p')) {
			state.move(-1, target.pickerRows());
		} else if (typed.name === 'down' || (typed.name === 'ctrl' && typed.char === 'n')) {
			state.move(1, target.pickerRows());
		} else if (edit(state.editor, typed)) {
			state.edited();
		}
	};

	/** One key, to the mode of the moment. */
	const route = (key0: TypedKey, input: string, key: Key) => {
		if (key0.name === 'paste-start' || key0.name === 'paste-end') {
			paste.current = key0.name === 'paste-start';
			return;
		}

		// A line break inside a paste is a space of the pasted text, never Enter.
		const typed: TypedKey = paste.current && key0.name === 'enter' ? {name: 'text', text: ' '} : key0;

		if (typed.name === 'ctrl' && typed.char === 'c') {
			target.controls.quit();
			return;
		}

		// Ctrl-L and Ctrl-Z work in every mode, as in less: redraw the screen; suspend to the shell.
		if (typed.name === 'ctrl' && (typed.char === 'l' || typed.char === 'z')) {
			if (typed.char === 'l') {
				target.controls.redraw();
			} else {
				target.controls.suspend();
			}

			return;
		}

		if (typed.name === 'wheel') {
			if (target.mode() === 'normal') {
				wheel(target, typed);
			}

			return;
		}

		const mode = target.mode();
		const session = target.prompt();
		const state = target.picker();
		if ((mode === 'filter' || mode === 'search') && session) {
			prompt(typed, session);
		} else if (mode === 'picker' && state) {
			picker(typed, state, () => route(typed, input, key));
		} else if (mode === 'help') {
			target.controls.setMode('normal');
		} else if (!paste.current) {
			const action = actionFor(input, key);
			if (action) {
				applyAction(target.workspace, action, input, target.controls);
			}
		}
	};

	useInput((input, key) => {
		const keys = readKeys(input, key);
		const run = keys.length > 1 || keys[0]?.name === 'text';
		if (!run) {
			route(keys[0] ?? {name: 'other'}, input, key);
		} else {
			// A run: each character is a key (the log view's keys are single characters), in order.
			for (const typed of keys) {
				const chars = typed.name === 'text' ? Array.from(new Intl.Segmenter().segment(typed.text), ({segment}) => segment) : [undefined];
				for (const char of chars) {
					const [paneInput, paneFlags] = char === undefined ? ['', PLAIN_KEY] : paneKey(char);
					route(char === undefined ? typed : {name: 'text', text: char}, char === undefined ? controlInput(typed) : paneInput, char === undefined ? controlKey(typed) : paneFlags);
				}
			}
		}

		target.workspace.changed(true);
	});
}

/** The Ink input and flags a control key of a run stands for, for the log view's key table. */
function controlInput(typed: TypedKey): string {
	return typed.name === 'ctrl' ? typed.char : typed.name === 'kill-to-start' ? 'u' : '';
}

function controlKey(typed: TypedKey): Key {
	switch (typed.name) {
		case 'enter': {
			return {...PLAIN_KEY, return: true};
		}

		case 'tab': {
			return {...PLAIN_KEY, tab: true};
		}

		case 'backspace': {
			return {...PLAIN_KEY, backspace: true};
		}

		case 'ctrl':
		case 'kill-to-start': {
			return {...PLAIN_KEY, ctrl: true};
		}

		default: {
			return PLAIN_KEY;
		}
	}
}
