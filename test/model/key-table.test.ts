import {describe, expect, it} from 'vitest';
import {actionFor, FOOTER_HINT, HELP_ROWS, lineActionFor, PANE_KEYS, type Action, type LineAction} from '../../source/model/key-table.js';
import {char, ctrl, named, type ViewerKey} from '../../source/model/viewer-key.js';

/* The one key table, key by key: what the README's Keys section promises. */

const paneKeys: Array<[ViewerKey, Action]> = [
	[char('q'), 'quit'],
	[ctrl('c'), 'quit'],
	[char('?'), 'help'],
	[named('tab'), 'focus-next'],
	[named('shift-tab'), 'focus-previous'],
	...Array.from('123456789', (digit): [ViewerKey, Action] => [char(digit), 'focus-number']),
	[char('z'), 'zoom'],
	[char('M'), 'merged'],
	[char('o'), 'open'],
	[char('x'), 'close'],
	[char('/'), 'filter'],
	[char('+'), 'level-up'],
	[char('='), 'level-up'],
	[char('-'), 'level-down'],
	[char('_'), 'level-down'],
	[char('s'), 'search'],
	[char('n'), 'match-next'],
	[char('N'), 'match-previous'],
	[char(' '), 'pause'],
	[char('p'), 'pause'],
	[char('P'), 'pause-all'],
	[char('j'), 'down'],
	[named('down'), 'down'],
	[char('k'), 'up'],
	[named('up'), 'up'],
	[char('f'), 'page-down'],
	[named('page-down'), 'page-down'],
	[char('b'), 'page-up'],
	[named('page-up'), 'page-up'],
	[ctrl('d'), 'half-down'],
	[ctrl('u'), 'half-up'],
	[char('g'), 'top'],
	[named('home'), 'top'],
	[char('G'), 'bottom'],
	[named('end'), 'bottom'],
	[char('T'), 'time'],
	[char('['), 'run-earlier'],
	[char(']'), 'run-later'],
	[char('H'), 'runs'],
	[char('i'), 'overview'],
	[char('e'), 'error-next'],
	[char('E'), 'error-previous'],
	[char('w'), 'wrap'],
	[char('m'), 'mark'],
	[char('u'), 'mark-next'],
	[char('U'), 'mark-previous'],
	[char('C'), 'context'],
	[char('h'), 'left'],
	[named('left'), 'left'],
	[char('l'), 'right'],
	[named('right'), 'right'],
	[char('0'), 'line-start'],
	[char('$'), 'line-end'],
	[char('t'), 'timestamps'],
	[char('c'), 'copy'],
	[char('S'), 'export'],
	[char('r'), 'reconnect'],
	[char('R'), 'reconnect-all'],
	[ctrl('l'), 'redraw'],
	[ctrl('z'), 'suspend'],
];

const lineKeys: Array<[ViewerKey, LineAction]> = [
	[named('enter'), 'submit'],
	[named('escape'), 'cancel'],
	[ctrl('c'), 'cancel'],
	[named('up'), 'previous'],
	[ctrl('p'), 'previous'],
	[named('down'), 'next'],
	[ctrl('n'), 'next'],
	[named('backspace'), 'backspace'],
	[named('delete'), 'delete'],
	[ctrl('d'), 'delete'],
	[named('left'), 'left'],
	[ctrl('b'), 'left'],
	[named('right'), 'right'],
	[ctrl('f'), 'right'],
	[named('home'), 'home'],
	[ctrl('a'), 'home'],
	[named('end'), 'end'],
	[ctrl('e'), 'end'],
	[ctrl('u'), 'kill-to-start'],
	[ctrl('k'), 'kill-to-end'],
	[ctrl('w'), 'kill-word'],
	[named('backspace', true), 'kill-word'],
	[{kind: 'alt', char: 'b'}, 'word-left'],
	[named('left', true), 'word-left'],
	[{kind: 'alt', char: 'f'}, 'word-right'],
	[named('right', true), 'word-right'],
];

describe('the key table', () => {
	it.each(paneKeys)('in the panes, %o is %s', (key, action) => {
		expect(actionFor(key)).toBe(action);
	});

	it('gives every pane action a key', () => {
		expect(new Set(paneKeys.map(([, action]) => action))).toEqual(new Set(PANE_KEYS.map((binding) => binding.action)));
	});

	it.each(lineKeys)('in a prompt, %o is %s', (key, action) => {
		expect(lineActionFor(key)).toBe(action);
	});

	it('gives keys that are no pane key nothing to do: Ctrl-A, Alt-B, a function key, a letter with no binding', () => {
		for (const key of [ctrl('a'), {kind: 'alt', char: 'b'}, {kind: 'other'}, char('y'), char('é')] as ViewerKey[]) {
			expect(actionFor(key)).toBeUndefined();
		}
	});

	it('draws the help and the footer from the same table', () => {
		expect(HELP_ROWS.map((row) => row.keys)).toContain('Ctrl-D  Ctrl-U');
		expect(HELP_ROWS.find((row) => row.keys === 't')?.help).toContain('iso');
		expect(HELP_ROWS.find((row) => row.keys === 'c  S')?.help).toContain('tmux');
		expect(FOOTER_HINT).toBe('? help  / filter  s search  p pause  o open  q quit');
	});
});
