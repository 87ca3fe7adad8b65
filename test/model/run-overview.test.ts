import {afterEach, describe, expect, it, vi} from 'vitest';
import type {RunTasksAnswer, TaskSummary} from '../../source/protocol/api.js';
import {OVERVIEW_REFRESH_MS} from '../../source/model/run-overview-state.js';
import {char, named} from '../../source/model/viewer-key.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {until} from '../helpers/until.js';
import {MemoryHistory} from './memory-history.js';
import {run, runList, viewerOn} from './run-lists.js';

/** A task's run of `lines` lines held by the server, line `error` its first ERROR. */
function taskHistory(lines: number, error: number): MemoryHistory {
	const history = new MemoryHistory();
	for (let id = 1; id <= lines; id++) {
		const record: LogRecord = {id: String(id), seq: id, runId: 'r-9', automationId: 'etl', taskId: 'load', timestamp: new Date(Date.UTC(2026, 10, 22, 10, 0, 0, id)).toISOString(), level: id === error ? 'ERROR' : 'INFO', message: id === error ? 'load failed: timeout' : `line ${id}`};
		history.records.push(record);
	}

	return history;
}

/* `i`: the focused pane's run as its tasks, asked again while the run runs; Enter opens a task at its first ERROR. */

afterEach(() => {
	vi.useRealTimers();
});

const task = (taskId: string, state: TaskSummary['state'], firstError: TaskSummary['firstError'] = null): TaskSummary => ({
	taskId,
	state,
	firstAt: '2026-11-22T10:28:32.000Z',
	lastAt: '2026-11-22T10:30:05.000Z',
	durationMs: 93_000,
	lines: 4200,
	warnings: 0,
	errors: firstError ? 3 : 0,
	firstError,
});

describe("the run's overview (i)", () => {
	it("asks for the pane's run, lists its tasks, and Enter opens the chosen one pinned to the run in a new pane, at its first ERROR", async () => {
		const answer: RunTasksAnswer = {run: run(9), tasks: [task('extract', 'succeeded'), task('load', 'failed', {id: '3', message: 'load failed: timeout'})]};
		const {access, tasksAsked, answerAll} = runList({tasks: () => answer});
		// The ERROR is line 3 of 3,000: older than the tail the task's stream starts with, so it is read from the history.
		const history = taskHistory(3000, 3);
		const {viewer, feed, workspace, streams} = viewerOn('automation/etl?run=r-9', access, {'task/load?run=r-9': history});
		// Keys typed before the answer act on it.
		feed(char('i'), char('j'), named('enter'));
		expect(viewer.mode).toBe('overview');
		expect(tasksAsked).toEqual(['r-9']);
		await answerAll();
		expect(viewer.mode).toBe('normal');
		expect(workspace.panes.map((pane) => pane.source)).toEqual(['all', 'automation/etl?run=r-9', 'task/load?run=r-9']);
		const pane = workspace.focused!;
		const stream = streams.at(-1)!;
		for (const record of history.records.slice(-10)) {
			stream.emit('record', record);
		}

		await until(() => pane.store.cursorLine()?.message === 'load failed: timeout', 'the cursor on the first ERROR line');
		expect(pane.store.following).toBe(false);
		// The lines before it are there too, for context above.
		expect(pane.store.window.oldestId()).toBe('1');
		expect(pane.pager.busy).toBe(false);
	});

	it('a key that moves the view while the first ERROR is read cancels the move: nothing jumps later', async () => {
		const answer: RunTasksAnswer = {run: run(9), tasks: [task('load', 'failed', {id: '3', message: 'load failed: timeout'})]};
		const {access, answerAll} = runList({tasks: () => answer});
		const history = taskHistory(3000, 3);
		const {feed, workspace, streams} = viewerOn('automation/etl?run=r-9', access, {'task/load?run=r-9': history});
		feed(char('i'));
		await answerAll();
		const release = history.hold();
		feed(named('enter'));
		const pane = workspace.focused!;
		for (const record of history.records.slice(-50)) {
			streams.at(-1)!.emit('record', record);
		}

		expect(pane.pager.busy).toBe(true);
		feed(char('k'), char('k'));
		const held = pane.store.cursorLine()?.message;
		expect(held).toBe('line 2998');
		release();
		await until(() => !pane.pager.busy, 'the reads to end');
		expect(pane.store.cursorLine()?.message).toBe(held);
		expect(workspace.message?.text).toBeUndefined();
	});

	it('stays live while the run runs: a task that starts appears, the choice stays on its task; closed, it asks no more', async () => {
		vi.useFakeTimers({toFake: ['setTimeout', 'clearTimeout']});
		let tasks = [task('extract', 'running')];
		const {access, tasksAsked, answerAll} = runList({tasks: () => ({run: run(10, 'running'), tasks})});
		const {viewer, feed, streams} = viewerOn('automation/etl', access);
		streams[1]!.log('started', 'INFO', {runId: 'r-10', automationId: 'etl'});
		feed(char('i'));
		await answerAll();
		const overview = viewer.overview!.state;
		expect(overview.tasks.map((each) => each.taskId)).toEqual(['extract']);
		tasks = [task('fetch', 'running'), task('extract', 'failed', {id: '9', message: 'boom'})];
		await vi.advanceTimersByTimeAsync(OVERVIEW_REFRESH_MS);
		await answerAll();
		expect(tasksAsked).toEqual(['r-10', 'r-10']);
		expect(overview.tasks.map((each) => `${each.taskId} ${each.state}`)).toEqual(['fetch running', 'extract failed']);
		expect(overview.choice()?.taskId).toBe('extract');
		feed(named('escape'));
		expect(viewer.mode).toBe('normal');
		await vi.advanceTimersByTimeAsync(OVERVIEW_REFRESH_MS * 3);
		await answerAll();
		expect(tasksAsked).toHaveLength(2);
	});

	it('says why not: a pane with no run yet, and a server that fails (in the status bar)', async () => {
		const {access, answerAll} = runList();
		const {viewer, feed, workspace} = viewerOn('automation/etl', access);
		feed(char('i'));
		expect(viewer.mode).toBe('normal');
		expect(workspace.message).toMatchObject({text: 'this pane shows no run yet: i needs one', error: true});
		const pinned = viewerOn('task/extract?run=r-4', access);
		pinned.feed(char('i'));
		await answerAll();
		expect(pinned.viewer.overview!.state.load).toEqual({state: 'error', message: 'the server answered 404 for the tasks of run r-4'});
		expect(pinned.workspace.message).toMatchObject({text: 'the server answered 404 for the tasks of run r-4', error: true});
	});
});
