/*
 * One key as the viewer's state model reads it, whatever the terminal sent: Ink's input is translated
 * into these once (ui/input-keys.ts), and everything after that (the key table, the prompts, the picker)
 * reads only this. A key is what was pressed, not what it does: Ctrl-U is `ctrl u` here, half a page up
 * in the panes and "delete to the start" in a prompt, as the key table says.
 */

/** Keys with a name of their own; `alt` is a key pressed with Alt (or Ctrl, for the arrows: a word). */
export type NamedKey =
	| 'enter'
	| 'escape'
	| 'tab'
	| 'shift-tab'
	| 'backspace'
	| 'delete'
	| 'up'
	| 'down'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'page-up'
	| 'page-down';

export type ViewerKey =
	/** One grapheme cluster as typed (`q`, `é`, `👍🏽`). */
	| {kind: 'char'; char: string}
	/** Ctrl and a letter: `char` is the letter, lower case (Ctrl-C is `c`). */
	| {kind: 'ctrl'; char: string}
	/** Alt (ESC then the key) and a character: Alt-B, Alt-F. */
	| {kind: 'alt'; char: string}
	| {kind: 'key'; name: NamedKey; alt?: boolean}
	/** Bracketed paste: what comes between start and end is text, its line breaks included. */
	| {kind: 'paste'; start: boolean}
	/** A mouse wheel notch over a 0-based terminal cell: `up` scrolls back. */
	| {kind: 'wheel'; up: boolean; column: number; row: number}
	/** Anything else a terminal sends (a function key, a mouse click): no key does anything with it. */
	| {kind: 'other'};

export const char = (text: string): ViewerKey => ({kind: 'char', char: text});
export const ctrl = (letter: string): ViewerKey => ({kind: 'ctrl', char: letter});
export const named = (name: NamedKey, alt = false): ViewerKey => (alt ? {kind: 'key', name, alt} : {kind: 'key', name});
