import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it, vi} from 'vitest';
import {keys, renderViewer} from './render-viewer.js';

/*
 * C (context around filter matches), m / u / U (marks) and the quiet marks, drawn by the real App over a
 * real Workspace: what the screen and the status bar say after each key.
 */

afterEach(() => {
	cleanup();
	vi.restoreAllMocks();
});

/** A 100x24 viewer on task/a with lines 1..30, "hit" on 5, 7 and 20. */
async function viewerWithHits() {
	const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 24});
	const stream = viewer.stream('task/a');
	for (let index = 1; index <= 30; index++) {
		stream.log([5, 7, 20].includes(index) ? `hit ${index}` : `line ${index}`);
	}

	await viewer.showing('line 30');
	return viewer;
}

/** The text of the pane's rows (the time column cut off), top to bottom, without blank rows. */
const rowTexts = (frame: string) =>
	frame
		.split('\n')
		.slice(1, -1)
		.map((row) => row.replace(/^.*?(INFO {2}|── |--)/, (_match, start: string) => (start === 'INFO  ' ? '' : start)).trim())
		.filter((row) => row !== '');

describe('C: context around filter matches', () => {
	it('cycles 0 / 3 / 10 lines with -- between groups, the count in the status bar', async () => {
		const viewer = await viewerWithHits();
		await viewer.press('/', 'h', 'i', 't', keys.enter);
		await viewer.showing('/hit/ 3 shown');
		await viewer.press('C');
		let frame = await viewer.showing('context 3', '/hit/ 3 matching');
		expect(rowTexts(frame)).toEqual(['line 2', 'line 3', 'line 4', 'hit 5', 'line 6', 'hit 7', 'line 8', 'line 9', 'line 10', '--', 'line 17', 'line 18', 'line 19', 'hit 20', 'line 21', 'line 22', 'line 23']);
		await viewer.press('C');
		frame = await viewer.showing('context 10');
		expect(rowTexts(frame)).not.toContain('--');
		await viewer.press('C');
		frame = await viewer.frame((shown) => !shown.includes('context 1'), 'context off');
		expect(rowTexts(frame)).toEqual(['hit 5', 'hit 7', 'hit 20']);
	});
});

describe('m, u, U: marks', () => {
	it('m marks the cursor line with a gutter mark, u / U go from mark to mark, and the status bar counts them', async () => {
		const viewer = await viewerWithHits();
		// Up from live to line 28, marked; then line 25.
		await viewer.press('k', 'k', 'm');
		const frame = await viewer.showing('1 mark');
		expect(frame.split('\n').find((row) => row.includes('line 28'))).toMatch(/^▌/);
		expect(frame.split('\n').find((row) => row.includes('line 27'))).toMatch(/^ /);
		await viewer.press('k', 'k', 'k', 'm');
		await viewer.showing('2 marks');
		await viewer.press('g', 'u');
		const cursorRow = () => viewer.workspace.focused!.store.cursorLine()?.message ?? '';
		await viewer.frame(() => cursorRow().includes('line 25'), 'the cursor on line 25');
		await viewer.press('u');
		await viewer.frame(() => cursorRow().includes('line 28'), 'the cursor on line 28');
		await viewer.press('u');
		await viewer.showing('no later mark shown');
		await viewer.press('U');
		await viewer.frame(() => cursorRow().includes('line 25'), 'the cursor back on line 25');
		// The marks stay through a filter that hides one of them.
		await viewer.press('/', '2', '8', keys.enter);
		await viewer.showing('/28/ 1 shown', '2 marks');
	});

	it('end the footer, m mark and C context, where the status bar has room for them', async () => {
		const wide = renderViewer({sources: ['task/a'], columns: 240, rows: 10});
		wide.stream('task/a').log('one line');
		const frame = await wide.showing('one line', 'M merge  m mark  C context');
		expect(frame.split('\n').at(-1)).toMatch(/S save {2}M merge {2}m mark {2}C context\s*$/);
		const narrow = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
		narrow.stream('task/a').log('one line');
		expect(await narrow.showing('one line')).not.toContain('m mark');
	});

	it('are in the ? help with C', async () => {
		const viewer = await viewerWithHits();
		await viewer.press('?');
		await viewer.showing('n  N  m  u  U    next / prev match; m mark the line, u / U next / prev mark', 'w  C             wrap on / off; C context around filter matches: 0/3/10 lines');
	});
});

describe('quiet marks', () => {
	it('a pause past 30 s in the live stream draws a dim rule before the next line', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
		const stream = viewer.stream('task/a');
		stream.log('before the pause');
		await viewer.showing('before the pause');
		const later = Date.now() + 134_000;
		vi.spyOn(Date, 'now').mockReturnValue(later);
		stream.log('after the pause', 'INFO', {timestamp: new Date(later).toISOString()});
		const frame = await viewer.showing('after the pause');
		const rows = frame.split('\n');
		const rule = rows.findIndex((row) => row.includes('── quiet 2m14s ──'));
		expect(rule).toBeGreaterThan(0);
		expect(rows[rule + 1]).toContain('after the pause');
		// A line of the pane's window, flagged quiet (drawn dim), where the merged view finds it too.
		const {store} = viewer.workspace.focused!;
		expect(store.window.get(store.index.shown.at(1)!)).toMatchObject({notice: true, quiet: true});
	});
});
