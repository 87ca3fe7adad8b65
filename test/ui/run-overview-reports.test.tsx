import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';
import type {RunAccess} from '../../source/model/run-access.js';
import type {TaskSummary} from '../../source/protocol/api.js';
import {run} from '../model/run-lists.js';
import {renderViewer} from './render-viewer.js';

/* The run's overview (i) with states its producer reported beside derived ones, drawn at 80x24. */

// Colors on, before chalk is loaded (it reads the terminal's support once): a failed task must be drawn red.
const colors = vi.hoisted(() => {
	const before = process.env.FORCE_COLOR;
	process.env.FORCE_COLOR = '1';
	return before;
});

afterEach(() => {
	cleanup();
});

afterAll(() => {
	if (colors === undefined) {delete process.env.FORCE_COLOR;}
	else {process.env.FORCE_COLOR = colors;}
});

const times = {firstAt: '2026-11-22T10:28:32.000Z', lastAt: '2026-11-22T10:30:05.000Z', durationMs: 93_000};
const quiet = {lines: 0, warnings: 0, errors: 0, firstError: null};

function runsWith(tasks: TaskSummary[], status: 'running' | 'failed' = 'running'): RunAccess {
	return {
		async runs() {
			return {runs: [run(4021, status)], next: null};
		},
		async tasks(runId) {
			return {run: {...run(4021, status, {lines: 4840, warnings: 2, errors: 3}), runId}, tasks};
		},
	};
}

const mixed: TaskSummary[] = [
	{taskId: 'extract', state: 'succeeded', reported: true, startedAt: times.firstAt, finishedAt: times.lastAt, ...times, lines: 4200, warnings: 0, errors: 0, firstError: null},
	{taskId: 'load', state: 'failed', reported: true, ...times, lines: 640, warnings: 2, errors: 3, firstError: {id: '18301', message: 'load failed: timeout'}},
	{taskId: 'publish', state: 'running', reported: true, startedAt: times.lastAt, firstAt: times.lastAt, lastAt: times.lastAt, durationMs: 4000, ...quiet},
	{taskId: 'notify', state: 'skipped', reported: true, finishedAt: times.lastAt, firstAt: times.lastAt, lastAt: times.lastAt, durationMs: 0, ...quiet},
	{taskId: 'cleanup', state: 'running', reported: false, ...times, lines: 12, warnings: 0, errors: 0, firstError: null},
	{taskId: 'archive', state: 'skipped', reported: true, finishedAt: times.lastAt, ...times, durationMs: 0, lines: 1, warnings: 0, errors: 0, firstError: null},
];

function fits(frame: string, columns: number, rows: number): void {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(rows);
	for (const line of lines) {
		expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
	}
}

describe("the run's overview with reported states, drawn", () => {
	it('shows reported states plainly and marks derived ones with *, which the second line explains', async () => {
		const viewer = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs: runsWith(mixed)});
		viewer.stream('automation/nightly-etl').run({runId: 'r-4021', status: 'running'});
		await viewer.press('i');
		const frame = await viewer.showing('Run r-4021 of automation/etl · running for 4m12s', '└─ archive');
		fits(frame, 80, 24);
		expect(frame).toContain('4,840 lines, 2 WARN, 3 ERROR · * state derived, not reported');
		expect(frame).toContain('▶├─ extract succeeded  1m33s 4,200 lines 0 WARN 0 ERROR');
		expect(frame).toContain(' ├─ load    failed     1m33s   640 lines 2 WARN 3 ERROR  load failed: timeout');
		// Reported and not yet logged: it says so instead of zeros; one never run has no duration.
		expect(frame).toContain(' ├─ publish running       4s no lines yet');
		expect(frame).toContain(' ├─ notify  skipped        - no lines');
		expect(frame).toContain(' ├─ cleanup running*   1m33s    12 lines 0 WARN 0 ERROR');
		// Skipped while it waited, with a line logged: still no duration.
		expect(frame).toContain(' └─ archive skipped        -     1 line  0 WARN 0 ERROR');
		// A failed task is drawn red, a skipped one gray.
		const raw = viewer.frames.at(-1) ?? '';
		const row = (name: string) => raw.split('\n').find((line) => line.includes(` ${name} `)) ?? '';
		expect(row('load')).toContain('\u001B[31m');
		expect(row('notify')).toContain('\u001B[90m');
		expect(row('extract')).toContain('\u001B[32m');
	});

	it('shows the steps a run named ahead and has not started as queued (derived), with no duration', async () => {
		const plan = {firstAt: times.firstAt, lastAt: times.firstAt, durationMs: 0, lines: 1, warnings: 0, errors: 0, firstError: null};
		const tasks: TaskSummary[] = [
			{taskId: 'extract', state: 'running', reported: true, startedAt: times.firstAt, ...times, lines: 30, warnings: 0, errors: 0, firstError: null},
			{taskId: 'transform', state: 'queued', reported: false, ...plan},
			{taskId: 'load', state: 'queued', reported: false, ...plan},
		];
		const viewer = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs: runsWith(tasks)});
		viewer.stream('automation/nightly-etl').run({runId: 'r-4021', status: 'running'});
		await viewer.press('i');
		const frame = await viewer.showing('└─ load');
		expect(frame).toContain('· * state derived, not reported');
		expect(frame).toContain('running    1m33s 30 lines 0 WARN 0 ERROR');
		expect(frame).toContain(' ├─ transform queued*        -  1 line  0 WARN 0 ERROR');
		expect(frame).toContain(' └─ load      queued*        -  1 line  0 WARN 0 ERROR');
		expect(frame).not.toContain('running*');
	});

	it('says nothing of * when every state was reported, and keeps the old legend when none was (an older server)', async () => {
		const reported = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs: runsWith(mixed.slice(0, 4), 'failed')});
		reported.stream('automation/nightly-etl').run({runId: 'r-4021', status: 'failed'});
		await reported.press('i');
		const all = await reported.showing('└─ notify');
		expect(all).toContain('4,840 lines, 2 WARN, 3 ERROR · states as reported');
		expect(all).not.toContain('*');
		cleanup();

		const older = mixed.slice(0, 2).map(({reported: _reported, startedAt: _startedAt, finishedAt: _finishedAt, ...task}) => task);
		const derived = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs: runsWith(older, 'failed')});
		derived.stream('automation/nightly-etl').run({runId: 'r-4021', status: 'failed'});
		await derived.press('i');
		const none = await derived.showing('└─ load');
		expect(none).toContain('4,840 lines, 2 WARN, 3 ERROR · * state derived from what each logged');
		expect(none).toContain('▶├─ extract succeeded* 1m33s 4,200 lines 0 WARN 0 ERROR');
		expect(none).toContain(' └─ load    failed*    1m33s   640 lines 2 WARN 3 ERROR  load failed: timeout');
	});
});
