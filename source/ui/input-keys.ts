import type {Key} from 'ink';
import {ctrl, named, type NamedKey, type ViewerKey} from '../model/viewer-key.js';

/*
 * The one translation of Ink's input into the viewer's keys. Ink hands over what one read of stdin held:
 * a single key with its flags, or a run of characters (tmux send-keys, a paste, keys faster than a read)
 * in which Backspace, Ctrl-U or Enter are raw control characters. Both become the same list of keys, one
 * grapheme cluster a key, so a key means the same in a burst as alone. Escape sequences always come alone
 * (Ink's input parser splits them off a run).
 */

const segmenter = new Intl.Segmenter();

/** A control character inside a run, as the key that sends it. */
function controlKey(code: number): ViewerKey {
	switch (code) {
		case 0x0d:
		case 0x0a: {
			return named('enter');
		}

		case 0x09: {
			return named('tab');
		}

		case 0x08:
		case 0x7f: {
			return named('backspace');
		}

		case 0x1b: {
			return named('escape');
		}

		default: {
			return ctrl(String.fromCodePoint(code + 96));
		}
	}
}

/** A run of characters, control characters read as the keys they are. */
function fromRun(input: string): ViewerKey[] {
	const keys: ViewerKey[] = [];
	for (const {segment} of segmenter.segment(input)) {
		const code = segment.codePointAt(0)!;
		keys.push(code < 0x20 || code === 0x7f ? controlKey(code) : {kind: 'char', char: segment});
	}

	return keys;
}

// SGR mouse reports (`ESC[<b;x;yM`), with the ESC Ink takes off; 64 and 65 are the wheel.
const MOUSE = /^\[<(\d+);(\d+);(\d+)[Mm]$/;

/** Ink's flags for keys that have a name, in the order they are tested. */
function flagged(key: Key): NamedKey | undefined {
	const names: Array<[boolean, NamedKey]> = [
		[key.return, 'enter'],
		[key.escape, 'escape'],
		// Ink reports the Backspace key (DEL, 0x7F) as `delete`, and cannot tell it from the Delete key: both
		// are Backspace here, as in ink-text-input, since Backspace is the one every terminal sends.
		[key.backspace || key.delete, 'backspace'],
		[key.leftArrow, 'left'],
		[key.rightArrow, 'right'],
		[key.upArrow, 'up'],
		[key.downArrow, 'down'],
		[key.home, 'home'],
		[key.end, 'end'],
		[key.pageUp, 'page-up'],
		[key.pageDown, 'page-down'],
		[key.tab, key.shift ? 'shift-tab' : 'tab'],
	];
	return names.find(([on]) => on)?.[1];
}

export function readKeys(input: string, key: Key): ViewerKey[] {
	const mouse = MOUSE.exec(input);
	if (mouse) {
		const button = Number(mouse[1]);
		return button === 64 || button === 65
			? [{kind: 'wheel', up: button === 64, column: Number(mouse[2]) - 1, row: Number(mouse[3]) - 1}]
			: [{kind: 'other'}];
	}

	// Bracketed paste: Ink passes the markers on with their ESC taken off.
	if (input === '[200~' || input === '[201~') {
		return [{kind: 'paste', start: input === '[200~'}];
	}

	const name = flagged(key);
	if (name) {
		// Escape is reported with `meta` set; the arrows and Backspace with Alt (or Ctrl) move or delete a word.
		const modified = name !== 'escape' && (key.meta || (key.ctrl && (name === 'left' || name === 'right')));
		return [named(name, modified)];
	}

	if (key.ctrl && input.length === 1) {
		return [ctrl(input)];
	}

	if (key.meta) {
		return input.length === 1 ? [{kind: 'alt', char: input}] : [{kind: 'other'}];
	}

	return input === '' ? [{kind: 'other'}] : fromRun(input);
}
