import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunAccess} from '../../source/model/run-access.js';
import {run} from '../model/run-lists.js';
import {keys, renderViewer} from './render-viewer.js';

/* The run list (H) and the run's overview (i) as drawn, at 80x24: every row within the terminal. */

afterEach(() => {
	cleanup();
});

const runs: RunAccess = {
	async runs(_entity, _before, grep) {
		const list = [run(4021, 'running'), run(4020, 'succeeded'), run(4019, 'failed', {lines: 18_342, warnings: 12, errors: 3})];
		return {runs: grep === undefined ? list : list.map((each, index) => ({...each, matches: {count: index === 2 ? 3 : 0, complete: true}})), next: null};
	},
	async tasks(runId) {
		const times = {firstAt: '2026-11-22T10:28:32.000Z', lastAt: '2026-11-22T10:30:05.000Z', durationMs: 93_000};
		return {
			run: {...run(4019, 'failed', {lines: 18_342, errors: 3}), runId},
			tasks: [
				{taskId: 'extract', state: 'succeeded', ...times, lines: 4200, warnings: 0, errors: 0, firstError: null},
				{taskId: 'load', state: 'failed', ...times, lines: 640, warnings: 2, errors: 3, firstError: {id: '18301', message: 'load failed: timeout'}},
			],
		};
	},
};

function fits(frame: string, columns: number, rows: number): void {
	const lines = frame.split('\n');
	expect(lines).toHaveLength(rows);
	for (const line of lines) {
		expect(stringWidth(line), line).toBeLessThanOrEqual(columns);
	}
}

describe('the run list, drawn', () => {
	it('at 80x24: a row a run with its result, duration and counts; / marks the runs that match', async () => {
		const viewer = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs});
		await viewer.press('H');
		const frame = await viewer.showing('Runs of automation/nightly-etl (Enter open · O new pane · / mark · Esc close)', 'r-4019', '3 runs');
		fits(frame, 80, 24);
		expect(frame).toMatch(/▶ r-4021 {2}running {5}4m12s {2}\d\d-\d\d \d\d:\d\d {5}100 lines {5}1 WARN {2}1 ERROR/);
		expect(frame).toContain('r-4019  failed      4m12s');
		expect(frame).toContain('18,342 lines');
		await viewer.press('/', 'timeout', keys.enter);
		const marked = await viewer.showing('/timeout/ marks the runs', '3 matches');
		fits(marked, 80, 24);
		expect(marked).toContain('* r-4019  failed     3 matches');
		expect(marked).toContain('  r-4020  succeeded  0 matches');
		await viewer.press(keys.escape);
		await viewer.showing('▶1 automation/nightly-etl');
	});
});

describe("the run's overview, drawn", () => {
	it('at 80x24: the run, then its tasks as a tree with derived states, counts and the first ERROR line', async () => {
		const viewer = renderViewer({sources: ['automation/nightly-etl'], columns: 80, rows: 24, runs});
		viewer.stream('automation/nightly-etl').run({runId: 'r-4019', status: 'failed'});
		await viewer.press('i');
		const frame = await viewer.showing('Run r-4019 of automation/etl · failed in 4m12s (Enter open · Esc close)', '└─ load');
		fits(frame, 80, 24);
		expect(frame).toContain('18,342 lines, 1 WARN, 3 ERROR · * state derived from what each logged');
		expect(frame).toContain('▶├─ extract succeeded* 1m33s 4,200 lines 0 WARN 0 ERROR');
		expect(frame).toContain(' └─ load    failed*    1m33s   640 lines 2 WARN 3 ERROR  load failed: timeout');
		await viewer.press('j', keys.enter);
		await viewer.showing('▶2 task/load?run=r-4019');
	});
});
