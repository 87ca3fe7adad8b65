import {describe, expect, it, vi} from 'vitest';
import {RUN_LIST_RETRY_MS} from '../../source/model/run-list-state.js';
import {char, ctrl, named} from '../../source/model/viewer-key.js';
import {runList, viewerOn} from './run-lists.js';

/* `H`: the focused pane's runs as a list, paged from the server as the choice moves down; Enter, O, Esc and `/`. */

const enter = named('enter');
const down = char('j');

describe('the run list (H)', () => {
	it('lists the runs newest first, reads the next page as the choice nears the end, and Esc closes it', async () => {
		const {access, asked, answerAll} = runList({page: 8, total: 20});
		const {viewer, feed, workspace} = viewerOn('automation/etl', access);
		feed(char('H'));
		expect(viewer.mode).toBe('runs');
		const list = viewer.runList!.state;
		expect(list.load.state).toBe('loading');
		await answerAll();
		expect(list.title).toBe('Runs of automation/etl');
		expect(list.runs.map((each) => each.runId).slice(0, 3)).toEqual(['r-20', 'r-19', 'r-18']);
		expect(asked).toEqual([{entity: {kind: 'automation', id: 'etl'}, before: undefined}]);
		feed(down, down);
		expect(list.reading).toBe(false);
		feed(down);
		expect(list.reading).toBe(true);
		expect(asked.at(-1)).toEqual({entity: {kind: 'automation', id: 'etl'}, before: 'r-13'});
		await answerAll();
		expect(list.runs).toHaveLength(16);
		feed(named('page-down'), named('page-down'));
		await answerAll();
		expect(list.runs).toHaveLength(20);
		expect(list.more).toBe(false);
		// The choice stopped at the last run held while the page was read; the next key goes on.
		expect(list.choice()?.runId).toBe('r-5');
		feed(named('page-down'));
		expect(list.choice()?.runId).toBe('r-1');
		feed(named('escape'));
		expect(viewer.mode).toBe('normal');
		expect(workspace.focused!.source).toBe('automation/etl');
	});

	it('keys typed before the first page act on it: H j j Enter opens the third run in the pane, in place', async () => {
		const {access, answerAll} = runList();
		const {viewer, feed, workspace} = viewerOn('task/extract', access);
		workspace.focused!.store.setFilter('load');
		feed(char('H'), down, down, enter);
		expect(viewer.mode).toBe('runs');
		await answerAll();
		expect(viewer.mode).toBe('normal');
		expect(workspace.panes).toHaveLength(2);
		expect(workspace.focus).toBe(1);
		expect(workspace.focused!.source).toBe('task/extract?run=r-8');
		expect(workspace.focused!.pin?.back).toBe(2);
		expect(workspace.focused!.store.filterText).toBe('load');
	});

	it('O opens the chosen run in a new pane; Enter on the newest is the live run', async () => {
		const {access, answerAll} = runList();
		const {viewer, feed, workspace} = viewerOn('automation/etl', access);
		feed(char('H'));
		await answerAll();
		feed(down, char('O'));
		expect(workspace.panes.map((pane) => pane.source)).toEqual(['all', 'automation/etl', 'automation/etl?run=r-9']);
		expect(workspace.focus).toBe(2);
		expect(viewer.mode).toBe('normal');
		feed(char('H'));
		await answerAll();
		feed(enter);
		expect(workspace.panes.map((pane) => pane.source)).toEqual(['all', 'automation/etl', 'automation/etl']);
		expect(workspace.focused!.pin).toBeUndefined();
	});

	it('/ asks the server which runs match and marks them; the run opened searches for the pattern', async () => {
		const {access, asked, answerAll} = runList();
		const {viewer, feed, workspace} = viewerOn('automation/etl', access);
		feed(char('H'));
		await answerAll();
		feed(char('/'), ...Array.from('time', (each) => char(each)));
		expect(viewer.runList!.state.query?.text).toBe('time');
		feed(enter);
		const list = viewer.runList!.state;
		expect(list.load.state).toBe('loading');
		expect(asked.at(-1)).toEqual({entity: {kind: 'automation', id: 'etl'}, before: undefined, grep: 'time'});
		await answerAll();
		expect(list.grep).toBe('time');
		expect(list.runs.map((each) => each.matches?.count)).toEqual([0, 9, 0, 7]);
		feed(down, enter);
		expect(workspace.focused!.source).toBe('automation/etl?run=r-9');
		expect(workspace.focused!.store.searchText).toBe('time');
	});

	it('Esc on the / line goes back to the list as it was; Ctrl-C closes the list before its first page', async () => {
		const {access, answerAll} = runList();
		const {viewer, feed} = viewerOn('automation/etl', access);
		feed(char('H'));
		await answerAll();
		feed(char('/'), char('x'), named('escape'));
		expect(viewer.mode).toBe('runs');
		expect(viewer.runList!.state.query).toBeUndefined();
		expect(viewer.runList!.state.grep).toBeUndefined();
		feed(named('escape'), char('H'), ctrl('c'));
		expect(viewer.mode).toBe('normal');
	});

	it('a server that fails is said in the list and in the status bar', async () => {
		const {access, answerAll, fail} = runList();
		const {viewer, feed, workspace} = viewerOn('automation/etl', access);
		fail('the server answered 503 for the runs of automation/etl: store unreachable');
		feed(char('H'), down, enter);
		await answerAll();
		expect(viewer.runList!.state.load).toEqual({state: 'error', message: 'the server answered 503 for the runs of automation/etl: store unreachable', retrying: true});
		expect(workspace.message).toMatchObject({text: 'the server answered 503 for the runs of automation/etl: store unreachable', error: true});
		// The keys typed meanwhile met an empty list: nothing opened.
		expect(workspace.focused!.source).toBe('automation/etl');
		expect(viewer.mode).toBe('runs');
	});

	it('a failed page is asked again every few seconds while the list is open, and no more once it is closed', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		try {
			const {access, asked, answerAll, fail} = runList();
			const {viewer, feed} = viewerOn('automation/etl', access);
			fail('the server answered 503 for the runs of automation/etl: store unreachable');
			feed(char('H'));
			await answerAll();
			expect(asked).toHaveLength(1);
			vi.advanceTimersByTime(RUN_LIST_RETRY_MS);
			await answerAll();
			expect(asked).toHaveLength(2);
			fail(undefined);
			vi.advanceTimersByTime(RUN_LIST_RETRY_MS);
			await answerAll();
			expect(viewer.runList!.state.load).toEqual({state: 'ready'});
			expect(viewer.runList!.state.runs).toHaveLength(4);

			// Closed while failing: the timer it had set asks nothing.
			fail('the server answered 503 for the runs of automation/etl: store unreachable');
			feed(named('escape'), char('H'));
			await answerAll();
			feed(named('escape'));
			vi.advanceTimersByTime(10 * RUN_LIST_RETRY_MS);
			await answerAll();
			expect(asked).toHaveLength(4);
		} finally {
			vi.useRealTimers();
		}
	});
});
