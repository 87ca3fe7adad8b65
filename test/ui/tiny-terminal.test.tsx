import {cleanup} from 'ink-testing-library';
import stringWidth from 'string-width';
import {afterEach, describe, expect, it} from 'vitest';
import type {RunAccess} from '../../source/model/run-access.js';
import {until} from '../helpers/until.js';
import {renderViewer} from './render-viewer.js';
import {screenText} from './screen-text.js';

/*
 * The layout holds at any size: every frame has exactly as many lines as the terminal has rows, none wider
 * than its columns (a wider or longer frame scrolls a real terminal and every row after it breaks), and a
 * terminal too small to draw in says so. Each mode of the viewer, from 1x1 to 22x7.
 */

afterEach(() => {
	cleanup();
});

const SOURCES = ['automation/nightly-warehouse-load', 'task/extract', 'artifact/orders-parquet', 'pipeline/sales', 'task/t5', 'task/t6', 'task/t7', 'task/t8', 'task/t9'];
const MODES = [
	{name: 'one pane', panes: 1, keys: []},
	{name: 'three panes', panes: 3, keys: []},
	{name: 'nine panes', panes: 9, keys: []},
	{name: 'the help', panes: 2, keys: ['?']},
	{name: 'the picker', panes: 1, keys: ['o']},
	{name: 'the filter prompt', panes: 2, keys: ['/', 'err']},
	{name: 'the run list', panes: 2, keys: ['H', 'j']},
	{name: 'the run list\'s / line', panes: 1, keys: ['H', '/', 'timeout']},
	{name: 'the run\'s overview', panes: 2, keys: ['i', 'j']},
];

/** Runs answered at once, long ids and counts included, so every column of a row is drawn. */
const runs: RunAccess = {
	async runs(_entity, _before, grep) {
		const runs = Array.from({length: 12}, (_, index) => ({
			runId: `r-40${String(index).padStart(2, '0')}-with-a-long-id`,
			status: index === 0 ? ('running' as const) : ('failed' as const),
			startedAt: '2026-11-22T10:28:32.000Z',
			durationMs: 252_000 + index,
			lines: 2_000_000,
			warnings: 12_000,
			errors: 3,
			...(grep === undefined ? {} : {matches: {count: index * 1000, complete: index < 5}}),
		}));
		return {runs, next: null};
	},
	async tasks(runId) {
		const summary = {status: 'failed' as const, startedAt: '2026-11-22T10:28:32.000Z', durationMs: 252_000, lines: 18_342, warnings: 12, errors: 3};
		const tasks = Array.from({length: 9}, (_, index) => ({
			taskId: `task-with-a-long-name-${index}`,
			state: 'failed' as const,
			durationMs: 252_000,
			lines: 18_342,
			warnings: 12,
			errors: 3,
			firstAt: '2026-11-22T10:28:32.000Z',
			lastAt: '2026-11-22T10:32:44.000Z',
			firstError: {id: String(index), message: 'load failed: timeout talking to the warehouse after 30 s'},
		}));
		return {run: {runId, automationId: 'nightly-warehouse-load', ...summary}, tasks};
	},
};

function sizes(): Array<[number, number]> {
	const all: Array<[number, number]> = [];
	for (const columns of [1, 2, 12, 20, 21, 22]) {
		for (const rows of [1, 2, 3, 4, 7]) {
			all.push([columns, rows]);
		}
	}

	return all;
}

/** Every frame the viewer wrote, as the terminal shows it: `rows` lines, each at most `columns` wide. */
function checkFrames(frames: string[], columns: number, rows: number, what: string): void {
	for (const frame of frames) {
		const lines = screenText(frame).split('\n');
		expect(lines, `${what}: ${JSON.stringify(frame)}`).toHaveLength(rows);
		for (const line of lines) {
			expect(stringWidth(line), `${what}: "${line}"`).toBeLessThanOrEqual(columns);
		}
	}
}

describe('a tiny terminal', () => {
	it.each(MODES)('holds the layout of $name at every size from 1x1 to 22x7', async ({panes, keys}) => {
		for (const [columns, rows] of sizes()) {
			const viewer = renderViewer({sources: SOURCES.slice(0, panes), columns, rows, loadSources: async () => [], runs});
			const stream = viewer.stream(SOURCES[0]!);
			stream.state({kind: 'live', since: Date.now()});
			stream.run({runId: 'r-45', status: 'running'});
			stream.log('a line long enough to wrap in any pane of a tiny terminal, and then some');
			stream.log('ERROR a second line', 'ERROR');
			await viewer.press(...keys);
			const what = `${columns}x${rows}`;
			await until(() => viewer.frames.length > 0 && screenText(viewer.frames.at(-1)!).split('\n').length === rows, `a frame of ${what}`);
			checkFrames(viewer.frames, columns, rows, what);
			viewer.unmount();
		}
	});

	it('says it is too small, in the columns it has, and draws again once it is not', async () => {
		const small = renderViewer({sources: ['task/extract'], columns: 12, rows: 4});
		expect(small.lastFrame()).toBe('too small\n(12x4):\ndbtail\nneeds 21x3');
		const enough = renderViewer({sources: ['task/extract'], columns: 21, rows: 3});
		expect(await enough.showing('▶1 extract', 'waiting for log', '? help')).toBe('▶1 extract ● connec…\n  waiting for log\nconnecting · ? help');
	});

	it('says which keys help when the panes do not fit: z shows one, x closes one', async () => {
		const viewer = renderViewer({sources: SOURCES, columns: 40, rows: 3});
		const said = await viewer.frame((frame) => frame.replaceAll('\n', ' ').includes('9 panes do not fit in 40x3: z zooms one, x closes one'), 'the panes said not to fit');
		expect(said.split('\n')).toHaveLength(3);
		await viewer.press('z');
		await viewer.showing('▶1 nightly-warehouse-load', '? help');
	});
});
