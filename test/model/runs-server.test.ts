import {describe, expect, test} from 'vitest';
import {logStreamFactory, runAccess} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {char, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import {paneTitle} from '../../source/ui/pane-title.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

/*
 * `[`, `]`, `H` and `i` over a real dbtail serve on both stores: the client's run list and task summary
 * requests, wired as the command wires them, moving real panes between real runs.
 */

const backends = await storeBackends();

const messages = (pane: Pane) => pane.store.snapshot(Date.now()).rows.map((row) => row.text);

describe.each(backends)('the runs of an automation over a real server on $name', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('[ shows the run before in place, ] comes back to live; H Enter opens a run; i lists its tasks and Enter opens one at its first ERROR', async () => {
		const server = await fixture().start();
		const first = await ingest(server.url, undefined, {automationId: 'etl'}, [
			{level: 'INFO', message: 'first run extract', taskId: 'extract'},
			{level: 'ERROR', message: 'first run load failed: timeout', taskId: 'load'},
			{level: 'INFO', message: 'first run load gave up', taskId: 'load'},
		]);
		await finishRun(server.url, undefined, first.runId, 'failed');
		const second = await ingest(server.url, undefined, {automationId: 'etl'}, [{level: 'INFO', message: 'second run extract', taskId: 'extract'}]);
		await finishRun(server.url, undefined, second.runId);
		const third = await ingest(server.url, undefined, {automationId: 'etl'}, [{level: 'INFO', message: 'third run extract', taskId: 'extract'}]);

		const workspace = new Workspace({factory: logStreamFactory({server: server.url}), server: server.url, runs: runAccess({server: server.url})});
		workspace.resize({columns: 120, rows: 20});
		const viewer = new ViewerState({workspace, loadSources: async () => [], shell: {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})}});
		const feed = (...keys: ViewerKey[]) => {
			viewer.feed(keys);
		};

		workspace.open('automation/etl');
		try {
			const shows = async (text: string) => until(() => messages(workspace.focused!).some((line) => line.includes(text)), `"${text}" in the focused pane`);
			await shows('third run extract');
			workspace.focused!.store.setFilter('run');

			feed(char('['), char('['));
			await until(() => workspace.focused!.source === `automation/etl?run=${first.runId}`, 'the pane on the first run');
			await shows('first run load failed: timeout');
			const title = paneTitle(workspace.focused!, 1, true, workspace.focused!.store.snapshot(Date.now()), 120, {color: false});
			expect(title).toContain(`${first.runId} · 2 runs back · failed in`);
			expect(workspace.focused!.store.filterText).toBe('run');
			expect(workspace.panes).toHaveLength(1);

			feed(char(']'));
			await until(() => workspace.focused!.source === `automation/etl?run=${second.runId}`, 'the pane on the second run');
			await shows('second run extract');
			feed(char(']'));
			await until(() => workspace.focused!.source === 'automation/etl', 'the pane live again');
			await shows('third run extract');

			feed(char('H'));
			await until(() => viewer.runList?.state.load.state === 'ready', 'the run list');
			expect(viewer.runList!.state.runs.map((run) => [run.runId, run.status, run.lines, run.errors])).toEqual([
				[third.runId, 'running', 1, 0],
				[second.runId, 'succeeded', 1, 0],
				[first.runId, 'failed', 3, 1],
			]);
			feed(char('/'), ...Array.from('timeout', (each) => char(each)), named('enter'));
			await until(() => viewer.runList?.state.load.state === 'ready', 'the marked run list');
			expect(viewer.runList!.state.runs.map((run) => run.matches?.count)).toEqual([0, 0, 1]);
			feed(char('j'), char('j'), named('enter'));
			expect(workspace.focused!.source).toBe(`automation/etl?run=${first.runId}`);
			expect(workspace.focused!.store.searchText).toBe('timeout');
			await shows('first run load gave up');

			feed(char('i'));
			await until(() => viewer.overview?.state.load.state === 'ready', "the run's tasks");
			expect(viewer.overview!.state.tasks.map((task) => [task.taskId, task.state, task.lines, task.firstError?.message])).toEqual([
				['extract', 'succeeded', 1, undefined],
				['load', 'failed', 2, 'first run load failed: timeout'],
			]);
			feed(char('j'), named('enter'));
			expect(workspace.focused!.source).toBe(`task/load?run=${first.runId}`);
			await until(() => workspace.focused!.store.cursorLine()?.message === 'first run load failed: timeout', 'the cursor on the first ERROR line');
			expect(workspace.panes).toHaveLength(2);
		} finally {
			workspace.dispose();
		}
	});
});
