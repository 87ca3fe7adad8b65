import {describe, expect, it} from 'vitest';
import type {RunAccess} from '../../source/model/run-access.js';
import {char, named} from '../../source/model/viewer-key.js';
import type {Workspace} from '../../source/model/workspace.js';
import {paneTitle} from '../../source/ui/pane-title.js';
import {statusItems} from '../../source/ui/status-items.js';
import {runList, viewerOn} from './run-lists.js';

/*
 * `[`, `]` and `G` over run lists the test hands over when it says (run-lists.ts): which run, how far back,
 * the pane kept in place.
 */

const title = (workspace: Workspace) => paneTitle(workspace.focused!, workspace.focus + 1, true, workspace.focused!.store.snapshot(Date.now()), 100, {color: false});

describe('[ and ] move the focused pane through its runs', () => {
	it('[ moves an automation pane to the run before, in place, its filter and level kept; the title says how far back', async () => {
		const {access, asked, answerAll} = runList();
		const {workspace, feed, streams} = viewerOn('automation/etl', access);
		streams[1]!.log('started', 'INFO', {runId: 'r-10', automationId: 'etl'});
		workspace.focused!.store.setFilter('load');
		workspace.focused!.store.setLevelFloor('WARN');
		const before = workspace.focused!;
		feed(char('['));
		expect(workspace.focused!.runActivity).toBe('reading runs…');
		expect(statusItems(workspace, Date.now()).map((item) => item.text)).toContain('reading runs…');
		await answerAll();
		const pane = workspace.focused!;
		expect(pane).not.toBe(before);
		expect(workspace.focus).toBe(1);
		expect(workspace.panes).toHaveLength(2);
		expect(pane.source).toBe('automation/etl?run=r-9');
		expect(pane.store.filterText).toBe('load');
		expect(pane.store.levelFloor).toBe('WARN');
		expect(asked[0]).toEqual({entity: {kind: 'automation', id: 'etl'}, before: undefined});
		expect(title(workspace)).toContain('r-9 · 1 run back · failed in 4m12s');
	});

	it('[[[ typed before the list comes is three runs back in one move, read across pages; ] and G come back', async () => {
		const {access, answerAll} = runList({page: 2});
		const {workspace, feed, streams} = viewerOn('automation/etl', access);
		streams[1]!.log('started', 'INFO', {runId: 'r-10', automationId: 'etl'});
		feed(char('['), char('['), char('['));
		await answerAll();
		expect(workspace.focused!.source).toBe('automation/etl?run=r-7');
		expect(title(workspace)).toContain('r-7 · 3 runs back');
		// The name is the live source's: the run is said once, beside it, not again as ?run= in the name.
		expect(title(workspace)).toMatch(/^▶\d automation\/etl r-7 · 3 runs back/);
		feed(char(']'));
		await answerAll();
		expect(workspace.focused!.source).toBe('automation/etl?run=r-8');
		expect(workspace.focused!.pin?.back).toBe(2);
		feed(char('G'));
		expect(workspace.focused!.source).toBe('automation/etl');
		expect(workspace.focused!.pin).toBeUndefined();
	});

	it('] past the newest run is the live run; ] on the live run says so in the status bar', async () => {
		const {access, answerAll} = runList();
		const {workspace, feed} = viewerOn('automation/etl?run=r-9', access);
		feed(char(']'));
		await answerAll();
		expect(workspace.focused!.source).toBe('automation/etl');
		feed(char(']'));
		await answerAll();
		expect(workspace.focused!.source).toBe('automation/etl');
		expect(workspace.message?.text).toBe('this is the live run: [ goes to earlier ones');
		expect(workspace.message?.error).toBe(true);
	});

	it('a task pane moves to the same task in the earlier run of the automation its records name', async () => {
		const {access, asked, answerAll} = runList();
		const {workspace, feed, streams} = viewerOn('task/extract', access);
		streams[1]!.log('reading', 'INFO', {runId: 'r-10', automationId: 'etl', taskId: 'extract'});
		feed(char('['), char('['));
		await answerAll();
		expect(workspace.focused!.source).toBe('task/extract?run=r-8');
		expect(asked[0]!.entity).toEqual({kind: 'automation', id: 'etl'});
	});

	it('a task pane that has logged nothing finds its automation in the catalog', async () => {
		const {access, asked, answerAll} = runList();
		const {workspace, feed} = viewerOn('task/extract', access);
		feed(char('['));
		await answerAll();
		expect(asked[0]!.entity).toEqual({kind: 'automation', id: 'etl'});
		expect(workspace.focused!.source).toBe('task/extract?run=r-9');
	});

	it('[ past the oldest run, in all, or when the server fails says why in the status bar and leaves the pane', async () => {
		const {access, answerAll} = runList();
		const {workspace, feed} = viewerOn('automation/etl?run=r-1', access);
		const pane = workspace.focused!;
		feed(char('['));
		await answerAll();
		expect(workspace.focused).toBe(pane);
		expect(workspace.message?.text).toBe('no run of automation/etl before r-1');

		feed(named('tab'));
		feed(char('['));
		await answerAll();
		expect(workspace.message?.text).toMatch(/^all has no runs of its own/);

		const failing: RunAccess = {runs: async () => Promise.reject(new Error('cannot reach http://dbtail.test (ECONNREFUSED)')), tasks: access.tasks};
		const broken = viewerOn('automation/etl', failing);
		broken.feed(char('['));
		await answerAll();
		expect(broken.workspace.message).toMatchObject({text: 'cannot reach http://dbtail.test (ECONNREFUSED)', error: true});
		expect(broken.workspace.focused!.runActivity).toBeUndefined();
	});
});
