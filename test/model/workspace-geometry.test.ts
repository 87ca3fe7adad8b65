import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {LogStreamEvents, StreamStats} from '../../source/client/types.js';
import type {PaneStream} from '../../source/model/pane.js';
import {Workspace} from '../../source/model/workspace.js';

/** A stream that sends nothing: geometry needs panes, not lines. */
class QuietStream extends EventEmitter<LogStreamEvents> implements PaneStream {
	stats = {reconnects: 0, records: 0, duplicatesDropped: 0, gapsFilled: 0} as StreamStats;
	start(): void {}
	close(): void {}
}

function workspaceOf(count: number, columns: number, rows: number): Workspace {
	const workspace = new Workspace({server: 'http://dbtail.test', factory: () => new QuietStream()});
	workspace.resize({columns, rows});
	for (let index = 1; index <= count; index++) {
		workspace.open(`task/t${index}`);
	}

	return workspace;
}

/** The pane number under each of the given cells (0 for none). */
function numbersAt(workspace: Workspace, cells: Array<[number, number]>): number[] {
	return cells.map(([column, row]) => {
		const pane = workspace.paneAt(column, row);
		return pane ? workspace.panes.indexOf(pane) + 1 : 0;
	});
}

describe('Workspace geometry', () => {
	it('one pane: the whole area but the status row, and its text area a row less for the title', () => {
		const workspace = workspaceOf(1, 80, 24);
		expect(workspace.area).toEqual({width: 79, height: 23});
		expect(numbersAt(workspace, [[0, 0], [78, 22], [0, 23]])).toEqual([1, 1, 0]);
		expect(workspace.panes[0]!.store.view.size).toEqual({rows: 22, width: 79});
	});

	it('two and three side by side, the rule column counting for the pane left of it', () => {
		const two = workspaceOf(2, 102, 20);
		expect(two.panes.map((pane) => pane.store.view.size.width)).toEqual([50, 50]);
		expect(numbersAt(two, [[49, 5], [50, 5], [51, 5], [100, 18]])).toEqual([1, 1, 2, 2]);
		const three = workspaceOf(3, 200, 40);
		expect(numbersAt(three, [[0, 0], [66, 0], [67, 39 - 1], [199, 0]])).toEqual([1, 1, 2, 3]);
	});

	it('three stacked at 80x24, and a grid of four', () => {
		const stacked = workspaceOf(3, 80, 24);
		expect(stacked.panes.map((pane) => pane.store.view.size.rows)).toEqual([7, 7, 6]);
		expect(numbersAt(stacked, [[10, 7], [10, 8], [10, 15], [10, 16]])).toEqual([1, 2, 2, 3]);
		const four = workspaceOf(4, 81, 23);
		expect(numbersAt(four, [[0, 0], [40, 0], [41, 0], [0, 11], [79, 21]])).toEqual([1, 1, 2, 3, 4]);
	});

	it('nine in a 3x3 grid, every pane under its own cells', () => {
		const nine = workspaceOf(9, 201, 46);
		expect(numbersAt(nine, [[0, 0], [100, 0], [199, 0], [0, 20], [100, 20], [199, 20], [0, 44], [100, 44], [199, 44]])).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it('zoom gives the focused pane the whole area, and unzoom lays the grid out again', () => {
		const workspace = workspaceOf(4, 81, 23);
		workspace.focusIndex(2);
		workspace.toggleZoom();
		expect(numbersAt(workspace, [[0, 0], [79, 21]])).toEqual([3, 3]);
		expect(workspace.panes[2]!.store.view.size).toEqual({rows: 21, width: 80});
		workspace.focusBy(1);
		expect(numbersAt(workspace, [[0, 0]])).toEqual([4]);
		workspace.toggleZoom();
		expect(numbersAt(workspace, [[0, 0], [79, 21]])).toEqual([1, 4]);
		expect(workspace.panes[2]!.store.view.size.rows).toBe(10);
	});

	it('a resize lays the panes out again; closing one gives the others its room', () => {
		const workspace = workspaceOf(2, 80, 24);
		expect(workspace.panes[0]!.store.view.size).toEqual({rows: 11, width: 79});
		workspace.resize({columns: 161, rows: 24});
		expect(workspace.panes[0]!.store.view.size).toEqual({rows: 22, width: 80});
		workspace.closeFocused();
		expect(workspace.panes[0]!.store.view.size).toEqual({rows: 22, width: 160});
	});

	it('says what keeps a screen too small from being drawn, and lays nothing out then (no cell has a pane)', () => {
		const tiny = workspaceOf(1, 12, 4);
		expect(tiny.screenProblem).toBe('too small (12x4): dbtail needs 21x3');
		const crowded = workspaceOf(9, 40, 3);
		expect(crowded.screenProblem).toBe('9 panes do not fit in 40x3: z zooms one, x closes one');
		expect(numbersAt(crowded, [[0, 0], [20, 1]])).toEqual([0, 0]);
		crowded.toggleZoom();
		expect(crowded.screenProblem).toBeUndefined();
		expect(numbersAt(crowded, [[0, 0]])).toEqual([9]);
		crowded.resize({columns: 21, rows: 3});
		crowded.toggleZoom();
		expect(crowded.screenProblem).toBe('9 panes do not fit in 21x3: z zooms one, x closes one');
	});
});
