import type {Key} from 'ink';

/** What a key in the log view asks for. */
export type Action =
	| 'quit'
	| 'help'
	| 'focus-next'
	| 'focus-previous'
	| 'focus-number'
	| 'zoom'
	| 'open'
	| 'close'
	| 'filter'
	| 'level-up'
	| 'level-down'
	| 'search'
	| 'match-next'
	| 'match-previous'
	| 'pause'
	| 'pause-all'
	| 'down'
	| 'up'
	| 'page-down'
	| 'page-up'
	| 'half-down'
	| 'half-up'
	| 'top'
	| 'bottom'
	| 'wrap'
	| 'left'
	| 'right'
	| 'error-next'
	| 'error-previous'
	| 'copy'
	| 'timestamps'
	| 'line-start'
	| 'line-end'
	| 'reconnect'
	| 'reconnect-all'
	| 'redraw'
	| 'suspend';

type Binding = {
	keys: string;
	help: string;
	/** The help in a few words, for a terminal too short for one column of keys. */
	brief?: string;
	action: Action;
	match: (input: string, key: Key) => boolean;
};

const is = (...chars: string[]) => (input: string, key: Key) => !key.ctrl && !key.meta && chars.includes(input);
const ctrl = (char: string) => (input: string, key: Key) => key.ctrl && input === char;

/**
 * Every key of the log view, in the order the `?` overlay lists them: one table serves the key handler,
 * the help overlay and the footer, so they cannot disagree.
 */
export const BINDINGS: readonly Binding[] = [
	{keys: 'q  Ctrl-C', help: 'quit', brief: 'quit', action: 'quit', match: (input, key) => is('q')(input, key) || ctrl('c')(input, key)},
	{keys: '?', help: 'this help', brief: 'help', action: 'help', match: is('?')},
	{keys: 'Tab  Shift-Tab', help: 'focus next / previous pane', brief: 'focus next/prev', action: 'focus-next', match: (_, key) => key.tab && !key.shift},
	{keys: '', help: '', action: 'focus-previous', match: (_, key) => key.tab && key.shift},
	{keys: '1-9', help: 'focus pane n', brief: 'focus pane n', action: 'focus-number', match: (input, key) => !key.ctrl && /^[1-9]$/.test(input)},
	{keys: 'z', help: 'zoom the focused pane / show all', brief: 'zoom', action: 'zoom', match: is('z')},
	{keys: 'o  x', help: 'open a source (fuzzy over the catalog) / close the pane', brief: 'open/close pane', action: 'open', match: is('o')},
	{keys: '', help: '', action: 'close', match: is('x')},
	{keys: '/', help: 'filter by regex (!re excludes; Enter keeps, Esc clears)', brief: 'regex filter', action: 'filter', match: is('/')},
	{keys: '+  -', help: 'raise / lower the level floor', brief: 'level up/down', action: 'level-up', match: is('+', '=')},
	{keys: '', help: '', action: 'level-down', match: is('-', '_')},
	{keys: 's', help: 'search: highlight matches', brief: 'search', action: 'search', match: is('s')},
	{keys: 'n  N', help: 'next / previous match', brief: 'next/prev match', action: 'match-next', match: is('n')},
	{keys: '', help: '', action: 'match-previous', match: is('N')},
	{keys: 'Space  p  P', help: 'pause / resume the focused pane (P: all panes)', brief: 'pause (P: all)', action: 'pause', match: is(' ', 'p')},
	{keys: '', help: '', action: 'pause-all', match: is('P')},
	{keys: 'j  k  ↓  ↑', help: 'line down / up', brief: 'line down/up', action: 'down', match: (input, key) => is('j')(input, key) || key.downArrow},
	{keys: '', help: '', action: 'up', match: (input, key) => is('k')(input, key) || key.upArrow},
	{keys: 'f  b  PgDn  PgUp', help: 'page down / up', brief: 'page down/up', action: 'page-down', match: (input, key) => is('f')(input, key) || key.pageDown},
	{keys: '', help: '', action: 'page-up', match: (input, key) => is('b')(input, key) || key.pageUp},
	{keys: 'Ctrl-D  Ctrl-U', help: 'half page down / up', brief: 'half page', action: 'half-down', match: ctrl('d')},
	{keys: '', help: '', action: 'half-up', match: ctrl('u')},
	{keys: 'g  G', help: 'top / bottom (G follows live again)', brief: 'top/bottom', action: 'top', match: (input, key) => is('g')(input, key) || key.home},
	{keys: '', help: '', action: 'bottom', match: (input, key) => is('G')(input, key) || key.end},
	{keys: 'e  E', help: 'next / previous ERROR line', brief: 'next/prev ERROR', action: 'error-next', match: is('e')},
	{keys: '', help: '', action: 'error-previous', match: is('E')},
	{keys: 'w', help: 'wrap long lines on / off', brief: 'wrap on/off', action: 'wrap', match: is('w')},
	{keys: 'h  l  ←  →  0  $', help: 'scroll sideways, to line start / end (wrap off)', brief: 'sideways', action: 'left', match: (input, key) => is('h')(input, key) || key.leftArrow},
	{keys: '', help: '', action: 'right', match: (input, key) => is('l')(input, key) || key.rightArrow},
	{keys: '', help: '', action: 'line-start', match: is('0')},
	{keys: '', help: '', action: 'line-end', match: is('$')},
	{keys: 't', help: 'timestamps: relative / absolute / none', brief: 'timestamps', action: 'timestamps', match: is('t')},
	{keys: 'c', help: 'copy the cursor line (OSC 52, works over ssh)', brief: 'copy line', action: 'copy', match: is('c')},
	{keys: 'r  R', help: 'reconnect the focused pane / all panes now', brief: 'reconnect now', action: 'reconnect', match: is('r')},
	{keys: '', help: '', action: 'reconnect-all', match: is('R')},
	{keys: 'Ctrl-L  Ctrl-Z', help: 'redraw the screen / suspend (fg comes back); wheel scrolls', brief: 'redraw/suspend', action: 'redraw', match: ctrl('l')},
	{keys: '', help: '', action: 'suspend', match: ctrl('z')},
];

export function actionFor(input: string, key: Key): Action | undefined {
	return BINDINGS.find((binding) => binding.match(input, key))?.action;
}

/** The rows of the help overlay: bindings that share a row are listed once. */
export const HELP_ROWS = BINDINGS.filter((binding) => binding.keys !== '').map(({keys, help, brief}) => ({keys, help, brief: brief ?? help}));

/** The footer's hint of the main keys. */
export const FOOTER_HINT = '? help  / filter  s search  p pause  o open  q quit';
