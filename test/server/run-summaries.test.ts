import {describe, expect, it} from 'vitest';
import type {Run} from '../../source/protocol/record.js';
import {summarizeRun, summarizeTasks} from '../../source/server/run-summaries.js';
import type {ChildCounts} from '../../source/server/store/types.js';

/* The derived parts of the run list and the task summary: durations and task states (protocol/api.ts, TaskState). */

const child = (childId: string, lastId: number, errors = 0): ChildCounts => ({
	childId,
	firstId: lastId - 1,
	lastId,
	firstAt: '2026-11-22T10:00:00.000Z',
	lastAt: '2026-11-22T10:00:02.500Z',
	lines: 2,
	warnings: 0,
	errors,
	firstErrorId: errors > 0 ? lastId : null,
});

const run = (status: Run['status']): Run => ({runId: 'r-1', status, startedAt: '2026-11-22T10:00:00.000Z', automationId: 'etl'});
const states = (status: Run['status'], children: ChildCounts[]) => summarizeTasks(run(status), children).map((task) => [task.taskId, task.state]);

describe('run summaries', () => {
	it('times a finished run to its end and a running one to now', () => {
		const counts = {lines: 1, warnings: 0, errors: 0};
		expect(summarizeRun({run: {...run('failed'), finishedAt: '2026-11-22T10:04:12.000Z'}, counts}, new Date('2030-01-01')).durationMs).toBe(252_000);
		expect(summarizeRun({run: run('running'), counts}, new Date('2026-11-22T10:00:05.000Z')).durationMs).toBe(5000);
	});

	it('derives each task\'s state from the run\'s status and what the task logged', () => {
		const quiet = [child('extract', 5), child('load', 9), child('report', 7)];
		const loud = [child('extract', 5, 1), child('load', 9), child('report', 7, 2)];
		expect(states('running', loud)).toEqual([['extract', 'running'], ['load', 'running'], ['report', 'running']]);
		expect(states('succeeded', loud)).toEqual([['extract', 'succeeded'], ['load', 'succeeded'], ['report', 'succeeded']]);
		expect(states('failed', loud)).toEqual([['extract', 'failed'], ['load', 'succeeded'], ['report', 'failed']]);
		// No task logged an ERROR: the one that logged last was running when the run failed or was cancelled.
		expect(states('failed', quiet)).toEqual([['extract', 'succeeded'], ['load', 'failed'], ['report', 'succeeded']]);
		expect(states('cancelled', quiet)).toEqual([['extract', 'succeeded'], ['load', 'cancelled'], ['report', 'succeeded']]);
		expect(summarizeTasks({...run('failed'), automationId: undefined, pipelineId: 'report'}, [child('csv', 3)])[0]).toMatchObject({artifactId: 'csv', durationMs: 2500, firstError: null});
	});
});
