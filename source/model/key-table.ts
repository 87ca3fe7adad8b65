import type {NamedKey, ViewerKey} from './viewer-key.js';

/*
 * The one key table: what each key does in the panes, and in the prompts and the picker. The `?` overlay
 * and the footer are drawn from it and `route` (route-key.ts) reads it, so they cannot disagree.
 */

/** What a key in the panes asks for. */
export type Action =
	| 'quit'
	| 'help'
	| 'focus-next'
	| 'focus-previous'
	| 'focus-number'
	| 'zoom'
	| 'merged'
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
	| 'time'
	| 'wrap'
	| 'left'
	| 'right'
	| 'error-next'
	| 'error-previous'
	| 'copy'
	| 'mark'
	| 'mark-next'
	| 'mark-previous'
	| 'context'
	| 'export'
	| 'timestamps'
	| 'line-start'
	| 'line-end'
	| 'reconnect'
	| 'reconnect-all'
	| 'run-earlier'
	| 'run-later'
	| 'runs'
	| 'overview'
	| 'redraw'
	| 'suspend';

/** What a key does in a line being typed (the filter and search prompts, the picker's query). */
export type LineAction =
	| 'submit'
	| 'cancel'
	| 'previous'
	| 'next'
	| 'backspace'
	| 'delete'
	| 'left'
	| 'right'
	| 'home'
	| 'end'
	| 'kill-to-start'
	| 'kill-to-end'
	| 'kill-word'
	| 'word-left'
	| 'word-right';

/** What a key does in the run list (`H`) and the run's overview (`i`). */
export type ListAction = 'choose' | 'choose-new' | 'grep' | 'close' | 'up' | 'down' | 'page-up' | 'page-down';

type Match = (key: ViewerKey) => boolean;

export type Binding<A> = {
	/** The keys as the help shows them; '' for a binding that shares the row above. */
	keys: string;
	help: string;
	/** The help in a few words, for a terminal too short for one column of keys. */
	brief?: string;
	/** Its piece of the footer's hint, if it has one. */
	footer?: string;
	action: A;
	match: Match;
};

const is =
	(...chars: string[]): Match =>
	(key) =>
		key.kind === 'char' && chars.includes(key.char);
const ctrl =
	(letter: string): Match =>
	(key) =>
		key.kind === 'ctrl' && key.char === letter;
const named =
	(name: NamedKey, alt?: boolean): Match =>
	(key) =>
		key.kind === 'key' && key.name === name && (alt === undefined || Boolean(key.alt) === alt);
const alt =
	(char: string): Match =>
	(key) =>
		key.kind === 'alt' && key.char === char;
const any =
	(...matches: Match[]): Match =>
	(key) =>
		matches.some((match) => match(key));

/** Every key of the panes, in the order the `?` overlay lists them. */
export const PANE_KEYS: ReadonlyArray<Binding<Action>> = [
	{keys: 'q  Ctrl-C', help: 'quit (Ctrl-C in a prompt cancels it)', brief: 'quit', footer: 'q quit', action: 'quit', match: any(is('q'), ctrl('c'))},
	{keys: '?', help: 'this help', brief: 'help', footer: '? help', action: 'help', match: is('?')},
	{keys: 'Tab  Shift-Tab', help: 'focus next / previous pane', brief: 'next/prev pane', action: 'focus-next', match: named('tab')},
	{keys: '', help: '', action: 'focus-previous', match: named('shift-tab')},
	{keys: '1-9', help: 'focus pane n', brief: 'focus pane n', action: 'focus-number', match: is(...'123456789')},
	{keys: 'z  M', help: 'zoom the focused pane / show all; M every pane merged by time', brief: 'zoom, M merged', action: 'zoom', match: is('z')},
	{keys: '', help: '', footer: 'M merge', action: 'merged', match: is('M')},
	{keys: 'o  x', help: 'open a source (fuzzy over the catalog) / close the pane', brief: 'open/close', footer: 'o open', action: 'open', match: is('o')},
	{keys: '', help: '', action: 'close', match: is('x')},
	{keys: '/', help: 'filter by regex (!re excludes; Enter keeps, Esc clears)', brief: 'regex filter', footer: '/ filter', action: 'filter', match: is('/')},
	{keys: '+  -', help: 'raise / lower the level floor', brief: 'level up/down', action: 'level-up', match: is('+', '=')},
	{keys: '', help: '', action: 'level-down', match: is('-', '_')},
	{keys: 's', help: 'search: highlight matches', brief: 'search', footer: 's search', action: 'search', match: is('s')},
	{keys: 'n  N  m  u  U', help: 'next / prev match; m mark the line, u / U next / prev mark', brief: 'hits, marks', action: 'match-next', match: is('n')},
	{keys: '', help: '', action: 'match-previous', match: is('N')},
	{keys: '', help: '', footer: 'm mark', action: 'mark', match: is('m')},
	{keys: '', help: '', action: 'mark-next', match: is('u')},
	{keys: '', help: '', action: 'mark-previous', match: is('U')},
	{keys: 'Space  p  P', help: 'pause / resume the focused pane (P: all panes)', brief: 'pause (P: all)', footer: 'p pause', action: 'pause', match: is(' ', 'p')},
	{keys: '', help: '', action: 'pause-all', match: is('P')},
	{keys: 'j  k  ↓  ↑', help: 'line down / up', brief: 'line down/up', action: 'down', match: any(is('j'), named('down'))},
	{keys: '', help: '', action: 'up', match: any(is('k'), named('up'))},
	{keys: 'f  b  PgDn  PgUp', help: 'page down / up', brief: 'page down/up', action: 'page-down', match: any(is('f'), named('page-down'))},
	{keys: '', help: '', action: 'page-up', match: any(is('b'), named('page-up'))},
	{keys: 'Ctrl-D  Ctrl-U', help: 'half page down / up', brief: 'half page', action: 'half-down', match: ctrl('d')},
	{keys: '', help: '', action: 'half-up', match: ctrl('u')},
	{keys: 'g  G  T', help: "the run's first line / live again; T a time (14:05, -10m)", brief: 'first/live/time', action: 'top', match: any(is('g'), named('home'))},
	{keys: '', help: '', action: 'bottom', match: any(is('G'), named('end'))},
	{keys: '', help: '', footer: 'T time', action: 'time', match: is('T')},
	{keys: '[  ]  H  i', help: 'earlier / later run; H the run list, i the run\'s tasks', brief: 'runs, tasks', action: 'run-earlier', match: is('[')},
	{keys: '', help: '', action: 'run-later', match: is(']')},
	{keys: '', help: '', action: 'runs', match: is('H')},
	{keys: '', help: '', action: 'overview', match: is('i')},
	{keys: 'e  E', help: 'next / previous ERROR line (e reads a title\'s 2 ERROR new)', brief: 'next/prev ERROR', footer: 'e ERROR', action: 'error-next', match: is('e')},
	{keys: '', help: '', action: 'error-previous', match: is('E')},
	{keys: 'w  C', help: 'wrap on / off; C context around filter matches: 0/3/10 lines', brief: 'wrap, context', action: 'wrap', match: is('w')},
	{keys: '', help: '', footer: 'C context', action: 'context', match: is('C')},
	{keys: 'h  l  ←  →  0  $', help: 'scroll sideways, to line start / end (wrap off)', brief: 'sideways', action: 'left', match: any(is('h'), named('left'))},
	{keys: '', help: '', action: 'right', match: any(is('l'), named('right'))},
	{keys: '', help: '', action: 'line-start', match: is('0')},
	{keys: '', help: '', action: 'line-end', match: is('$')},
	{keys: 't', help: 'timestamps: relative / absolute / iso / none', brief: 'timestamps', action: 'timestamps', match: is('t')},
	// S shares c's row: 80x24 shows the help whole in one column only up to 23 rows.
	{keys: 'c  S', help: 'copy the cursor line (tmux or OSC 52) / save the shown lines', brief: 'copy/save lines', action: 'copy', match: is('c')},
	{keys: '', help: '', footer: 'S save', action: 'export', match: is('S')},
	{keys: 'r  R', help: 'reconnect the focused pane / all panes now', brief: 'reconnect now', action: 'reconnect', match: is('r')},
	{keys: '', help: '', action: 'reconnect-all', match: is('R')},
	{keys: 'Ctrl-L  Ctrl-Z', help: 'redraw the screen / suspend (fg comes back); wheel scrolls', brief: 'redraw/suspend', action: 'redraw', match: ctrl('l')},
	{keys: '', help: '', action: 'suspend', match: ctrl('z')},
];

/** The keys of a line being typed: readline's, and the ones that end or walk the prompt. */
export const LINE_KEYS: ReadonlyArray<Binding<LineAction>> = [
	{keys: 'Enter', help: 'keep the line (the picker: open the source)', action: 'submit', match: named('enter')},
	{keys: 'Esc  Ctrl-C', help: 'cancel (a filter or search is cleared)', action: 'cancel', match: any(named('escape'), ctrl('c'))},
	{keys: '↑  Ctrl-P', help: 'earlier line (the picker: the row above)', action: 'previous', match: any(named('up'), ctrl('p'))},
	{keys: '↓  Ctrl-N', help: 'later line (the picker: the row below)', action: 'next', match: any(named('down'), ctrl('n'))},
	{keys: 'Backspace  Ctrl-H', help: 'delete the character before the cursor', action: 'backspace', match: named('backspace', false)},
	{keys: 'Delete  Ctrl-D', help: 'delete the character at the cursor', action: 'delete', match: any(named('delete'), ctrl('d'))},
	{keys: '←  Ctrl-B', help: 'character back', action: 'left', match: any(named('left', false), ctrl('b'))},
	{keys: '→  Ctrl-F', help: 'character forward', action: 'right', match: any(named('right', false), ctrl('f'))},
	{keys: 'Home  Ctrl-A', help: 'start of the line', action: 'home', match: any(named('home'), ctrl('a'))},
	{keys: 'End  Ctrl-E', help: 'end of the line', action: 'end', match: any(named('end'), ctrl('e'))},
	{keys: 'Ctrl-U', help: 'delete to the start', action: 'kill-to-start', match: ctrl('u')},
	{keys: 'Ctrl-K', help: 'delete to the end', action: 'kill-to-end', match: ctrl('k')},
	{keys: 'Ctrl-W  Alt-Backspace', help: 'delete the word before', action: 'kill-word', match: any(ctrl('w'), named('backspace', true))},
	{keys: 'Alt-B  Alt-←', help: 'word back', action: 'word-left', match: any(alt('b'), named('left', true))},
	{keys: 'Alt-F  Alt-→', help: 'word forward', action: 'word-right', match: any(alt('f'), named('right', true))},
];

/** The keys of the run list and the run's overview; their title lines are drawn from it (`listHint`). */
export const LIST_KEYS: ReadonlyArray<Binding<ListAction>> = [
	{keys: '↑ ↓', help: 'choose', action: 'up', match: any(is('k'), named('up'), ctrl('p'))},
	{keys: '', help: '', action: 'down', match: any(is('j'), named('down'), ctrl('n'))},
	{keys: '', help: '', action: 'page-up', match: any(is('b'), named('page-up'))},
	{keys: '', help: '', action: 'page-down', match: any(is('f'), named('page-down'))},
	{keys: 'Enter', help: 'open', action: 'choose', match: named('enter')},
	{keys: 'O', help: 'new pane', action: 'choose-new', match: is('O')},
	{keys: '/', help: 'mark', action: 'grep', match: is('/')},
	{keys: 'Esc', help: 'close', action: 'close', match: any(named('escape'), ctrl('c'), is('q'))},
];

export function listActionFor(key: ViewerKey): ListAction | undefined {
	return LIST_KEYS.find((binding) => binding.match(key))?.action;
}

/** `Enter open · O new pane · Esc close`: the keys of a list (↑ ↓ go without saying), less those it has no use for. */
export function listHint(leave: readonly ListAction[] = [], words: Partial<Record<ListAction, string>> = {}): string {
	return LIST_KEYS.filter((binding) => binding.keys !== '' && binding.action !== 'up' && !leave.includes(binding.action))
		.map((binding) => `${binding.keys} ${words[binding.action] ?? binding.help}`)
		.join(' · ');
}

export function actionFor(key: ViewerKey): Action | undefined {
	return PANE_KEYS.find((binding) => binding.match(key))?.action;
}

export function lineActionFor(key: ViewerKey): LineAction | undefined {
	return LINE_KEYS.find((binding) => binding.match(key))?.action;
}

/** The rows of the help overlay: bindings that share a row are listed once. */
export const HELP_ROWS = PANE_KEYS.filter((binding) => binding.keys !== '').map(({keys, help, brief}) => ({keys, help, brief: brief ?? help}));

const footerOf = (actions: readonly Action[]) => actions.map((action) => PANE_KEYS.find((binding) => binding.action === action)!.footer).join('  ');

/** The footer's hint of the main keys, in the order a newcomer needs them. */
export const FOOTER_HINT = footerOf(['help', 'filter', 'search', 'pause', 'open', 'quit']);

/** The footer's hint where the status bar has room for one more key: `T` to a time. */
export const FOOTER_HINT_WIDE = footerOf(['help', 'filter', 'search', 'time', 'pause', 'open', 'quit']);

/** And where it has room for two: `e` to the next ERROR, which reads a title's `2 ERROR new`. */
export const FOOTER_HINT_WIDEST = footerOf(['help', 'filter', 'search', 'time', 'error-next', 'pause', 'open', 'quit']);

/** And where it has room for three: `S` to save the shown lines, after the rest (the narrower hints read the same). */
export const FOOTER_HINT_FULL = footerOf(['help', 'filter', 'search', 'time', 'error-next', 'pause', 'open', 'quit', 'export']);

/** And where it has room for four: `M`, the merged timeline of every pane. */
export const FOOTER_HINT_MERGE = footerOf(['help', 'filter', 'search', 'time', 'error-next', 'pause', 'open', 'quit', 'export', 'merged']);

/** And where it has room for more: `m` to mark a line and `C` for context around filter matches. */
export const FOOTER_HINT_MARKS = footerOf(['help', 'filter', 'search', 'time', 'error-next', 'pause', 'open', 'quit', 'export', 'merged', 'mark', 'context']);
