import {cleanup} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {keys, renderViewer} from './render-viewer.js';

/*
 * `M` drawn: the real App over a real Workspace, two panes fed by memory streams, keys through Ink's stdin.
 */

afterEach(() => {
	cleanup();
});

const at = (second: number) => ({timestamp: new Date(Date.parse('2026-11-22T10:00:00.000Z') + second * 1000).toISOString()});
/** The body rows of the merged view: each row's pane number and text, times hidden by `t` until none. */
const bodyRows = (frame: string) =>
	frame
		.split('\n')
		.slice(1, -1)
		.map((row) => row.trimEnd())
		.filter((row) => row !== '');

describe('the merged view (M)', () => {
	it('shows both panes by time marked with their numbers; / and + are its own; M and Esc go back', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 12});
		const a = viewer.stream('task/a');
		const b = viewer.stream('task/b');
		a.log('alpha one', 'INFO', at(1));
		b.log('beta two', 'WARN', at(2));
		a.log('alpha three', 'ERROR', at(3));
		b.log('beta late', 'INFO', at(0));
		await viewer.showing('alpha three', 'beta late');
		await viewer.press('M');
		await viewer.showing('M merged: 2 panes by time');
		// Times off, so each row reads `n LEVEL text`.
		await viewer.press('t', 't', 't');
		const merged = await viewer.frame((frame) => bodyRows(frame).length === 4 && !frame.includes('ago'), 'four merged rows, no times');
		expect(bodyRows(merged).map((row) => row.replaceAll(/\s+/g, ' '))).toEqual(['2 INFO beta late', '1 INFO alpha one', '2 WARN beta two', '1 ERROR alpha three']);
		await viewer.press('+', '+', '+');
		await viewer.frame((frame) => bodyRows(frame).length === 2 && frame.includes('level WARN+'), 'WARN and above');
		await viewer.press('/', 'alpha', keys.enter);
		await viewer.frame((frame) => bodyRows(frame).length === 1 && frame.includes('/alpha/'), 'the filter in the merged view');
		await viewer.press('M');
		// The panes kept their own filter (none) and level.
		const panes = await viewer.showing('beta two', 'alpha one');
		expect(panes).not.toContain('M merged');
		await viewer.press('M');
		await viewer.showing('M merged', '/alpha/');
		await viewer.press(keys.escape);
		await viewer.frame((frame) => !frame.includes('M merged') && frame.includes('beta late'), 'the panes again after Esc');
	});

	it('a late line from the slower pane does not move a cursor above the live end; G follows again', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 8});
		const a = viewer.stream('task/a');
		const b = viewer.stream('task/b');
		for (let n = 1; n <= 30; n++) {
			a.log(`a line ${n}`, 'INFO', at(n * 10));
		}

		await viewer.showing('a line 30');
		await viewer.press('M', 't', 't', 't');
		await viewer.frame((frame) => frame.includes('a line 30') && !frame.includes('ago'), 'the merged view at its live end');
		await viewer.press('k', 'k', 'k', 'k', 'k', 'k', 'k', 'k', 'k', 'k');
		const before = await viewer.frame((frame) => frame.includes('a line 20') && frame.includes('5 below'), 'the cursor ten lines up');
		b.log('b late one', 'INFO', at(5));
		b.log('b late two', 'INFO', at(155));
		b.log('b newest', 'INFO', at(999));
		await viewer.showing('6 below');
		expect(bodyRows(viewer.lastFrame())).toEqual(bodyRows(before));
		await viewer.press('G');
		await viewer.showing('b newest');
		await viewer.press('g');
		await viewer.showing('b late one');
	});

	it('is in the ? help, and in the footer where the status bar has room for it', async () => {
		const wide = renderViewer({sources: ['task/a', 'task/b'], columns: 200, rows: 30});
		await wide.showing('S save  M merge');
		await wide.press('?');
		await wide.showing('z  M', 'M every pane merged by time');
		cleanup();
		const narrow = renderViewer({sources: ['task/a'], columns: 100, rows: 10});
		const footer = await narrow.showing('? help');
		expect(footer).not.toContain('M merge');
	});
});
