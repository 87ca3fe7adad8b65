import type {Key} from 'ink';

/*
 * Ink hands over what one read of stdin held: a single key with its flags, or a run of characters
 * (tmux send-keys, a paste, keys faster than a read) in which Backspace, Ctrl-U or Enter are raw control
 * characters. Both become the same list of keys here, so a key means the same in a burst as alone.
 */

export type TypedKey =
	| {name: 'text'; text: string}
	| {
			name:
				| 'enter'
				| 'escape'
				| 'backspace'
				| 'delete'
				| 'left'
				| 'right'
				| 'up'
				| 'down'
				| 'home'
				| 'end'
				| 'tab'
				| 'kill-to-start'
				| 'kill-to-end'
				| 'kill-word'
				| 'word-left'
				| 'word-right'
				| 'paste-start'
				| 'paste-end'
				| 'other';
	  }
	| {name: 'ctrl'; char: string}
	/** A mouse wheel notch at a cell (0-based column and row): `up` scrolls back. */
	| {name: 'wheel'; up: boolean; column: number; row: number};

const CONTROL: Record<string, TypedKey> = {
	'\r': {name: 'enter'},
	'\n': {name: 'enter'},
	'\u007F': {name: 'backspace'},
	'\b': {name: 'backspace'},
	'\t': {name: 'tab'},
	'\u0015': {name: 'kill-to-start'},
	'\u000B': {name: 'kill-to-end'},
	'\u0017': {name: 'kill-word'},
	'\u0001': {name: 'home'},
	'\u0005': {name: 'end'},
};

/** A run of characters, control characters read as the keys they are. */
function fromRun(input: string): TypedKey[] {
	const keys: TypedKey[] = [];
	let text = '';
	for (const char of input) {
		const code = char.codePointAt(0)!;
		const control = CONTROL[char] ?? (code < 0x20 ? {name: 'ctrl' as const, char: String.fromCodePoint(code + 96)} : undefined);
		if (control) {
			if (text) {
				keys.push({name: 'text', text});
				text = '';
			}

			keys.push(control);
		} else {
			text += char;
		}
	}

	if (text) {
		keys.push({name: 'text', text});
	}

	return keys;
}

// SGR mouse reports (`ESC[<b;x;yM`), with the ESC Ink takes off; 64 and 65 are the wheel.
const MOUSE = /^\[<(\d+);(\d+);(\d+)[Mm]$/;

export function readKeys(input: string, key: Key): TypedKey[] {
	const mouse = MOUSE.exec(input);
	if (mouse) {
		const button = Number(mouse[1]);
		return button === 64 || button === 65
			? [{name: 'wheel', up: button === 64, column: Number(mouse[2]) - 1, row: Number(mouse[3]) - 1}]
			: [{name: 'other'}];
	}

	// Bracketed paste: Ink passes the markers on with their ESC taken off.
	if (input === '[200~') {
		return [{name: 'paste-start'}];
	}

	if (input === '[201~') {
		return [{name: 'paste-end'}];
	}

	if (key.return) {
		return [{name: 'enter'}];
	}

	if (key.escape) {
		return [{name: 'escape'}];
	}

	const flagged: Array<[boolean, TypedKey['name']]> = [
		// Ink reports the Backspace key (DEL, 0x7F) as `delete`, and cannot tell it from the Delete key: both
		// are Backspace here, as in ink-text-input, since Backspace is the one every terminal sends.
		[key.backspace || key.delete, 'backspace'],
		[key.leftArrow, key.meta || key.ctrl ? 'word-left' : 'left'],
		[key.rightArrow, key.meta || key.ctrl ? 'word-right' : 'right'],
		[key.upArrow, 'up'],
		[key.downArrow, 'down'],
		[key.home, 'home'],
		[key.end, 'end'],
		[key.tab && !key.shift, 'tab'],
	];
	for (const [on, name] of flagged) {
		if (on) {
			return [{name} as TypedKey];
		}
	}

	if (key.meta && input === 'b') {
		return [{name: 'word-left'}];
	}

	if (key.meta && input === 'f') {
		return [{name: 'word-right'}];
	}

	if (key.meta && (input === '\u007F' || input === '\b')) {
		return [{name: 'kill-word'}];
	}

	if (key.ctrl && input.length === 1) {
		const control = CONTROL[String.fromCodePoint(input.codePointAt(0)! - 96)];
		return [control ?? {name: 'ctrl', char: input}];
	}

	if (key.meta || input === '') {
		return [{name: 'other'}];
	}

	return fromRun(input);
}
