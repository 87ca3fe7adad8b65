import {describe, expect, it} from 'vitest';
import type {SourceEntry} from '../../source/model/source-catalog.js';
import {char, ctrl, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {memoryWorkspace} from '../ui/memory-stream.js';

/*
 * The viewer's keys without a render: a real Workspace over in-memory streams, a ViewerState on it, and a
 * shell that records what it was asked. Each `feed` is one read of the terminal, as Ink hands it over.
 */

const text = (typed: string): ViewerKey[] => Array.from(typed, (each) => char(each));
const enter = named('enter');
const escape = named('escape');

const catalog: SourceEntry[] = [
	{name: 'all'},
	{name: 'task/extract', status: 'running', owners: ['automation/nightly-etl']},
	{name: 'task/fetch-orders', status: 'running', owners: ['automation/nightly-etl']},
	{name: 'artifact/report-csv', status: 'succeeded', owners: ['pipeline/sales']},
];

type Options = {sources?: string[]; loadSources?: () => Promise<SourceEntry[]>};

function viewerOn({sources = ['task/a'], loadSources = async () => catalog}: Options = {}) {
	const {workspace, streams} = memoryWorkspace();
	for (const source of sources) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
	const asked: string[] = [];
	const copied: string[] = [];
	const viewer = new ViewerState({
		workspace,
		loadSources,
		shell: {
			quit: () => asked.push('quit'),
			redraw: () => asked.push('redraw'),
			suspend: () => asked.push('suspend'),
			async copy(line) {
				copied.push(line);
				return {ok: true, message: `copied ${line.length} characters`};
			},
		},
	});
	const stream = streams.get(sources[0]!);
	stream?.log('connect ok');
	stream?.log('timeout talking to db', 'ERROR');
	stream?.log('retry scheduled', 'WARN');
	stream?.log('connect ok again');
	const store = () => workspace.focused!.store;
	return {viewer, workspace, streams, store, asked, copied, feed: (...keys: ViewerKey[]) => viewer.feed(keys)};
}

/** The catalog arrives when the test says so. */
function lateCatalog() {
	let arrive: (entries: SourceEntry[]) => void = () => undefined;
	const loading = new Promise<SourceEntry[]>((resolve) => {
		arrive = resolve;
	});
	return {load: async () => loading, arrive: async (entries: SourceEntry[]) => {
		arrive(entries);
		await loading;
		// The picker hears of it one turn after the promise settles.
		await Promise.resolve();
	}};
}

describe('the filter and search prompts', () => {
	it('filters as typed, keeps the filter on Enter and gives the next keys to the panes', () => {
		const {viewer, feed, store} = viewerOn();
		feed(char('/'), ...text('conn'));
		expect(viewer.mode).toBe('filter');
		expect(viewer.prompt?.editor.text).toBe('conn');
		expect(store().filterText).toBe('conn');
		// While the prompt is open, q is text: it does not quit.
		feed(char('q'), named('backspace'), enter, char('p'));
		expect(viewer.mode).toBe('normal');
		expect(store().filterText).toBe('conn');
		expect(store().paused).toBe(true);
	});

	it('types a whole burst (/ERROR⏎G) in one read, the Enter included, with no frame between', () => {
		const {viewer, feed, store} = viewerOn();
		store().scroll(-2);
		expect(store().following).toBe(false);
		feed(char('/'), ...text('ERROR'), enter, char('G'));
		expect(store().filterText).toBe('ERROR');
		expect(viewer.mode).toBe('normal');
		expect(store().following).toBe(true);
	});

	it('a prompt opened again starts from its filter; later reads go on at the cursor, the keys after Enter to the panes', () => {
		const {feed, store} = viewerOn();
		feed(...text('/con'));
		feed(...text('n'), enter, char('p'));
		expect(store().paused).toBe(true);
		feed(char('p'), char('/'));
		feed(...text('retrx'), named('backspace'));
		feed(char('y'), enter, char('p'));
		expect(store().filterText).toBe('connretry');
		expect(store().paused).toBe(true);
	});

	it('with the cursor moved left, a character and an Enter go in at the cursor, and nothing becomes a pane key', () => {
		const {feed, store, workspace} = viewerOn();
		feed(...text('/conn'), named('left'), named('left'));
		feed(char('x'), enter);
		expect(store().filterText).toBe('coxnn');
		expect(workspace.panes).toHaveLength(1);
		expect(store().paused).toBe(false);
	});

	it('opens the next prompt when the keys after an Enter start one', () => {
		const {feed, store} = viewerOn();
		feed(...text('/conn'), enter, ...text('sok'), enter);
		expect(store().filterText).toBe('conn');
		expect(store().searchText).toBe('ok');
	});

	it('clears the filter on Esc and on Ctrl-C, which cancels the prompt rather than quitting', () => {
		const {viewer, feed, store, asked} = viewerOn();
		feed(...text('/conn'));
		feed(escape);
		expect(store().filterText).toBe('');
		feed(...text('/conn'));
		feed(ctrl('c'));
		expect(store().filterText).toBe('');
		expect(viewer.mode).toBe('normal');
		expect(asked).toEqual([]);
		feed(ctrl('c'));
		expect(asked).toEqual(['quit']);
	});

	it('reads Esc typed just before a key (one read: ESC q, which Ink calls Alt-q) as the two keys, where Alt means nothing', () => {
		const {viewer, feed, store, asked} = viewerOn();
		feed(...text('/conn'));
		feed({kind: 'alt', char: 'q'});
		expect(store().filterText).toBe('');
		expect(viewer.mode).toBe('normal');
		expect(asked).toEqual(['quit']);
		// Alt-B still moves a word back in a prompt.
		feed(...text('/ab cd'), {kind: 'alt', char: 'b'}, char('X'));
		expect(store().filterText).toBe('ab Xcd');
	});

	it('says an invalid regex is invalid, and the prompt stays open', () => {
		const {viewer, feed} = viewerOn();
		feed(...text('/retry('));
		expect(viewer.prompt?.error).toMatch(/retry\(/);
		expect(viewer.mode).toBe('filter');
	});

	it('knows readline keys: Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U, Ctrl-K, Alt-B, Alt-F, arrows, Backspace, Delete', () => {
		const {feed, store} = viewerOn();
		feed(char('/'), ...text('retry scheduled'), ctrl('a'), char('x'), ctrl('e'), char('y'));
		expect(store().filterText).toBe('xretry scheduledy');
		feed(ctrl('w'));
		expect(store().filterText).toBe('xretry ');
		feed({kind: 'alt', char: 'b'}, char('z'), {kind: 'alt', char: 'f'}, char('!'));
		expect(store().filterText).toBe('zxretry! ');
		feed(named('left'), named('left'), ctrl('k'));
		expect(store().filterText).toBe('zxretr');
		feed(named('home'), named('delete'), named('end'), named('backspace'));
		expect(store().filterText).toBe('xret');
		feed(named('left', true), char('('), named('right', true), char(')'));
		expect(store().filterText).toBe('(xret)');
		feed(named('backspace', true));
		expect(store().filterText).toBe('');
		feed(...text('ret'), ctrl('u'), ...text('retry'), enter);
		expect(store().filterText).toBe('retry');
	});

	it('walks back through earlier filters with ↑ and comes back to the typed line with ↓', () => {
		const {feed, store} = viewerOn();
		feed(...text('/timeout'), enter);
		feed(char('/'), escape);
		feed(...text('/conn'), enter);
		feed(char('/'), ctrl('u'), ...text('ret'));
		feed(named('up'));
		expect(store().filterText).toBe('conn');
		feed(named('up'));
		expect(store().filterText).toBe('timeout');
		feed(named('down'), named('down'));
		expect(store().filterText).toBe('ret');
	});

	it('search: Enter lands on the newest match from the live end; n and N go on and say when they wrap', () => {
		const {feed, store, workspace} = viewerOn();
		feed(...text('sconnect'), enter);
		expect(store().searchText).toBe('connect');
		expect(store().cursorLine()?.message).toBe('connect ok again');
		feed(char('n'));
		expect(store().cursorLine()?.message).toBe('connect ok');
		expect(workspace.message?.text).toBe('search hit BOTTOM, continuing at TOP');
		feed(char('N'));
		expect(store().cursorLine()?.message).toBe('connect ok again');
	});

	it('opens no prompt without a pane to act on', () => {
		const {viewer, feed} = viewerOn({sources: []});
		feed(char('/'));
		expect(viewer.mode).toBe('normal');
		expect(viewer.prompt).toBeUndefined();
	});
});

describe('a paste', () => {
	it('is text: a line break inside it is a space, never Enter', () => {
		const {viewer, feed, store} = viewerOn();
		feed(char('/'));
		feed({kind: 'paste', start: true});
		feed(...text('connect'), enter, ...text('ok'));
		feed({kind: 'paste', start: false});
		expect(viewer.mode).toBe('filter');
		expect(store().filterText).toBe('connect ok');
		feed(enter);
		expect(viewer.mode).toBe('normal');
	});

	it('is not keys for the panes', () => {
		const {viewer, feed, store, asked} = viewerOn();
		feed({kind: 'paste', start: true}, ...text('qpx'), enter, {kind: 'paste', start: false});
		expect(asked).toEqual([]);
		expect(store().paused).toBe(false);
		expect(viewer.workspace.panes).toHaveLength(1);
	});
});

describe('Ctrl-L and Ctrl-Z', () => {
	it('redraw and suspend in every mode, and leave the mode as it was', async () => {
		const {viewer, feed, asked} = viewerOn();
		const modes: Array<[ViewerKey, string]> = [
			[char('?'), 'help'],
			[char('o'), 'picker'],
			[char('/'), 'filter'],
			[char('s'), 'search'],
		];
		for (const [opener, mode] of modes) {
			feed(opener);
			feed(ctrl('l'), ctrl('z'));
			expect(viewer.mode).toBe(mode);
			feed(escape);
			expect(viewer.mode).toBe('normal');
		}

		feed(ctrl('l'), ctrl('z'));
		expect(asked).toEqual(Array.from({length: 5}, () => ['redraw', 'suspend']).flat());
	});
});

describe('the help overlay', () => {
	it('closes on any key, which does nothing else; Ctrl-C closes it too', () => {
		const {viewer, feed, store, asked} = viewerOn();
		feed(char('?'));
		expect(viewer.mode).toBe('help');
		feed(char('p'));
		expect(viewer.mode).toBe('normal');
		expect(store().paused).toBe(false);
		feed(char('?'), ctrl('c'));
		expect(viewer.mode).toBe('normal');
		expect(asked).toEqual([]);
	});
});

describe('the source picker', () => {
	it('opens the top match on Enter, and the keys after it go to the new pane', async () => {
		const {viewer, feed, workspace, streams, store} = viewerOn();
		feed(char('o'));
		await Promise.resolve();
		await Promise.resolve();
		feed(...text('fetch'), enter, char('p'));
		expect(viewer.mode).toBe('normal');
		expect(workspace.focused?.source).toBe('task/fetch-orders');
		expect(streams.get('task/fetch-orders')?.started).toBe(true);
		expect(store().paused).toBe(true);
	});

	it('chooses with ↑ / ↓ and Ctrl-P / Ctrl-N, and a moved selection wins', async () => {
		const late = lateCatalog();
		const {viewer, feed, workspace} = viewerOn({loadSources: late.load});
		feed(char('o'));
		await late.arrive(catalog);
		feed(...text('task/'));
		expect(viewer.picker?.matches()).toHaveLength(2);
		// The selection stays within the matches: down, down (still the second), up, down.
		feed(named('down'), ctrl('n'), ctrl('p'), ctrl('n'));
		const second = viewer.picker!.matches()[1]!.name;
		expect(viewer.picker?.choice()).toBe(second);
		feed(enter);
		expect(workspace.focused?.source).toBe(second);
	});

	it('opens a well-formed source as typed; an unknown one says why and stays open', async () => {
		const late = lateCatalog();
		const {viewer, feed, workspace} = viewerOn({loadSources: late.load});
		feed(char('o'));
		await late.arrive([]);
		feed(...text('nonsense'), enter);
		expect(viewer.mode).toBe('picker');
		expect(viewer.picker?.problem).toMatch(/unknown source "nonsense"/);
		feed(ctrl('u'), ...text('task/fetch-orders?run=r-1'), enter);
		expect(workspace.focused?.source).toBe('task/fetch-orders?run=r-1');
		expect(viewer.mode).toBe('normal');
	});

	it('after an Enter before the catalog, keys wait for the pick instead of editing the query', async () => {
		const late = lateCatalog();
		const {viewer, feed, workspace, store} = viewerOn({loadSources: late.load});
		feed(char('o'), ...text('task/b'), enter, char('p'));
		feed(char('z'));
		expect(viewer.picker?.editor.text).toBe('task/b');
		expect(viewer.pending).toEqual([char('p'), char('z')]);
		await late.arrive([]);
		expect(viewer.mode).toBe('normal');
		expect(workspace.focused?.source).toBe('task/b');
		expect(store().paused).toBe(true);
		expect(workspace.zoomed).toBe(true);
	});

	it('Ctrl-C while it waits for the catalog gives up the pick and closes it', async () => {
		const late = lateCatalog();
		const {viewer, feed, workspace, asked} = viewerOn({loadSources: late.load});
		feed(char('o'), ...text('task/b'), enter, char('p'), ctrl('c'));
		expect(viewer.mode).toBe('normal');
		expect(viewer.pending).toBeUndefined();
		await late.arrive([]);
		expect(workspace.panes).toHaveLength(1);
		expect(asked).toEqual([]);
	});

	it('starts open when the viewer has no source, once', async () => {
		const {viewer, feed} = viewerOn({sources: []});
		viewer.start();
		expect(viewer.mode).toBe('picker');
		feed(escape);
		viewer.start();
		expect(viewer.mode).toBe('normal');
	});
});

describe('the pane keys', () => {
	it('focus, zoom, close, pause, level, wrap, timestamps and ERROR lines act on the focused pane', () => {
		const {feed, workspace, store, streams} = viewerOn({sources: ['task/a', 'task/b', 'task/c']});
		feed(named('tab'));
		expect(workspace.focus).toBe(1);
		feed(named('shift-tab'), named('shift-tab'));
		expect(workspace.focus).toBe(2);
		feed(char('1'), char('z'));
		expect(workspace.focus).toBe(0);
		expect(workspace.zoomed).toBe(true);
		feed(char('z'), char('x'));
		expect(streams.get('task/a')?.closed).toBe(true);
		expect(workspace.focused?.source).toBe('task/b');
		feed(char(' '));
		expect(store().paused).toBe(true);
		feed(char('P'));
		expect(workspace.panes.every((pane) => pane.store.paused)).toBe(true);
		feed(char('w'));
		expect(store().wrap).toBe(false);
		feed(char('t'));
		expect(workspace.timestamps).toBe('absolute');
	});

	it('says when there is no ERROR line to go to, and the next key takes the message away', () => {
		const {feed, workspace, store} = viewerOn();
		feed(char('E'));
		expect(store().cursorLine()?.message).toBe('timeout talking to db');
		feed(char('E'));
		expect(workspace.message).toMatchObject({text: 'no earlier ERROR line', error: true});
		feed(char('G'));
		expect(workspace.message).toBeUndefined();
	});

	it('copies the cursor line as shown, with the time itself where the pane shows an age', async () => {
		const {feed, copied, workspace, streams} = viewerOn();
		const timestamp = new Date(Date.now() - 5000).toISOString();
		streams.get('task/a')!.log('copy me', 'WARN', {taskId: 'other', timestamp});
		feed(char('c'));
		expect(copied[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}\[other] copy me$/);
		feed(char('t'), char('t'), char('c'));
		expect(copied[1]).toBe(`${timestamp} WARN  [other] copy me`);
		feed(char('t'), char('c'));
		expect(copied[2]).toBe('WARN  [other] copy me');
		await Promise.resolve();
		expect(workspace.message?.text).toBe('copied 21 characters');
	});

	it('quits on q and on Ctrl-C', () => {
		const {feed, asked} = viewerOn();
		feed(char('q'));
		feed(ctrl('c'));
		expect(asked).toEqual(['quit', 'quit']);
	});
});
