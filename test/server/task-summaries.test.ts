import {describe, expect, it} from 'vitest';
import type {Run} from '../../source/protocol/record.js';
import {summarizeTasks} from '../../source/server/run-summaries.js';
import type {ChildCounts, StoredTaskReport} from '../../source/server/store/types.js';

/* A run's tasks from what they logged and what their producer reported: which state stands, which is derived, in what order. */

const child = (childId: string, firstId: number, lastId: number, errors = 0): ChildCounts => ({
	childId,
	firstId,
	lastId,
	firstAt: '2026-11-22T10:00:00.000Z',
	lastAt: '2026-11-22T10:00:02.000Z',
	lines: lastId - firstId + 1,
	warnings: 0,
	errors,
	firstErrorId: errors > 0 ? lastId : null,
});

const report = (childId: string, state: StoredTaskReport['state'], afterId: number, reportNo: number): StoredTaskReport => ({
	childId,
	state,
	afterId,
	reportNo,
	...(state === 'running' ? {startedAt: '2026-11-22T10:00:01.000Z'} : {finishedAt: '2026-11-22T10:00:03.000Z'}),
});

const run = (status: Run['status']): Run => ({runId: 'r-1', status, startedAt: '2026-11-22T10:00:00.000Z', automationId: 'etl'});

const states = (status: Run['status'], children: ChildCounts[], reports: StoredTaskReport[]) =>
	summarizeTasks(run(status), children, reports, new Date('2026-11-22T10:00:10.000Z')).map((task) => `${task.taskId} ${task.state}${task.reported ? '' : '*'}`);

describe('task summaries with reports', () => {
	it('lists tasks in the order first heard of: a report before a task logged keeps its place', () => {
		const children = [child('extract', 1, 9), child('load', 5, 12), child('publish', 13, 13)];
		// `load` was reported after line 3, `notify` (never logged) after line 10, `cleanup` and `audit` after line 12, in that order.
		const reports = [report('load', 'running', 3, 1), report('notify', 'skipped', 10, 2), report('cleanup', 'running', 12, 3), report('audit', 'running', 12, 4)];
		expect(states('running', children, reports)).toEqual(['extract running*', 'load running', 'notify skipped', 'cleanup running', 'audit running', 'publish running*']);
	});

	it('derives only where no report stands, and counts reported failures and cancellations as the explanation', () => {
		const children = [child('extract', 1, 4), child('load', 5, 8, 1), child('publish', 9, 10)];
		// The run failed: `load` logged an ERROR (derived: failed); `publish` reported its result.
		expect(states('failed', children, [report('publish', 'succeeded', 8, 1)])).toEqual(['extract succeeded*', 'load failed*', 'publish succeeded']);
		// No ERROR, but a task reported the failure: the others derive as succeeded, not the last to log as failed.
		const quiet = [child('extract', 1, 4), child('load', 5, 8), child('publish', 9, 10)];
		expect(states('failed', quiet, [report('load', 'failed', 6, 1)])).toEqual(['extract succeeded*', 'load failed', 'publish succeeded*']);
		expect(states('cancelled', quiet, [report('load', 'cancelled', 6, 1)])).toEqual(['extract succeeded*', 'load cancelled', 'publish succeeded*']);
		// A task still reported running when the run failed, heard from last (its report came after every line): derived, failed.
		expect(states('failed', quiet, [report('extract', 'succeeded', 4, 1), report('verify', 'running', 10, 2)])).toEqual([
			'extract succeeded',
			'load succeeded*',
			'publish succeeded*',
			'verify failed*',
		]);
		// The run succeeded: a report left running is derived as succeeded; every other report stands.
		expect(states('succeeded', quiet, [report('load', 'running', 6, 1), report('publish', 'skipped', 8, 2)])).toEqual([
			'extract succeeded*',
			'load succeeded*',
			'publish skipped',
		]);
	});

	it('derives as queued, while the run runs, a task its reporting producer named ahead and has not reported started', () => {
		// A plan: a line each for extract, transform and load (1 to 3), then extract reported running after line 3.
		const plan = [child('extract', 1, 1), child('transform', 2, 2), child('load', 3, 3)];
		expect(states('running', plan, [report('extract', 'running', 3, 1)])).toEqual(['extract running', 'transform queued*', 'load queued*']);
		// transform logged (line 4) without a report: it runs, in what it logged.
		expect(states('running', [...plan.slice(0, 1), child('transform', 2, 4), plan[2]!], [report('extract', 'running', 3, 1)])).toEqual([
			'extract running',
			'transform running*',
			'load queued*',
		]);
		// A producer that reports nothing: every task that logged runs, as before reports.
		expect(states('running', plan, [])).toEqual(['extract running*', 'transform running*', 'load running*']);
		// Queued never ran: no duration. Once the run ended, one that never started was skipped.
		expect(summarizeTasks(run('running'), plan, [report('extract', 'running', 3, 1)])[2]).toMatchObject({state: 'queued', reported: false, durationMs: 0, lines: 1});
		expect(states('cancelled', plan, [report('extract', 'running', 3, 1)])).toEqual(['extract cancelled*', 'transform skipped*', 'load skipped*']);
		const failed = {...report('extract', 'failed', 3, 1), startedAt: '2026-11-22T10:00:01.000Z'};
		expect(summarizeTasks(run('failed'), plan, [failed])[1]).toMatchObject({state: 'skipped', reported: false, durationMs: 0});
		// Named before the first task reported started (it ran before the producer reported anything): not queued.
		expect(states('running', plan, [report('load', 'running', 3, 1)])).toEqual(['extract running*', 'transform running*', 'load running']);
	});

	it('times a task from its reported start: to now while it reportedly runs, to its reported end, or to its last line', () => {
		const tasks = summarizeTasks(
			run('running'),
			[child('extract', 1, 4)],
			[report('extract', 'running', 0, 1), report('load', 'running', 4, 2), report('notify', 'skipped', 4, 3)],
			new Date('2026-11-22T10:00:10.000Z'),
		);
		expect(tasks.map((task) => [task.taskId, task.durationMs, task.firstAt, task.lastAt, task.lines])).toEqual([
			['extract', 9000, '2026-11-22T10:00:00.000Z', '2026-11-22T10:00:02.000Z', 4],
			['load', 9000, '2026-11-22T10:00:01.000Z', '2026-11-22T10:00:01.000Z', 0],
			['notify', 0, '2026-11-22T10:00:03.000Z', '2026-11-22T10:00:03.000Z', 0],
		]);
		// Skipped before it started: no duration, though it logged while it waited.
		expect(summarizeTasks(run('failed'), [child('load', 1, 4)], [report('load', 'skipped', 4, 1)])[0]).toMatchObject({state: 'skipped', durationMs: 0, lines: 4});
		const ended = summarizeTasks(run('failed'), [child('extract', 1, 4)], [report('extract', 'running', 0, 1)]);
		// Derived once the run ended: from its reported start to its last line.
		expect(ended[0]).toMatchObject({state: 'failed', reported: false, startedAt: '2026-11-22T10:00:01.000Z', durationMs: 1000});
	});
});
