import {describe, expect, it} from 'vitest';
import {layoutPanes, rectAt} from '../../source/model/layout.js';

const shape = (count: number, width: number, height: number) =>
	layoutPanes(count, width, height)!.rows.map((row) => row.map((cell) => `${cell.width}x${cell.height}`));

describe('layoutPanes', () => {
	it('puts up to 3 panes side by side when each gets 50 columns', () => {
		expect(shape(3, 200, 40)).toEqual([['66x40', '66x40', '66x40']]);
		expect(shape(2, 101, 20)).toEqual([['50x20', '50x20']]);
	});

	it('stacks them when narrow, as at 80x24', () => {
		expect(shape(3, 80, 22)).toEqual([['80x8'], ['80x7'], ['80x7']]);
	});

	it('uses a grid beyond 3 panes, every cell filled and the sizes adding up', () => {
		expect(shape(4, 80, 22)).toEqual([
			['40x11', '39x11'],
			['40x11', '39x11'],
		]);
		const nine = layoutPanes(9, 200, 45)!.rows;
		expect(nine).toHaveLength(3);
		expect(nine.flat().map((cell) => cell.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
		expect(shape(5, 200, 40)).toEqual([
			['66x20', '66x20', '66x20'],
			['100x20', '99x20'],
		]);
	});

	it('falls back to a grid when stacking leaves too few rows', () => {
		expect(shape(3, 80, 10)).toEqual([['40x5', '39x5'], ['80x5']]);
	});

	it('places each cell at its column and row, a rule column between panes side by side', () => {
		const corners = layoutPanes(4, 81, 22)!.rows.flat().map((cell) => [cell.column, cell.row]);
		expect(corners).toEqual([
			[0, 0],
			[41, 0],
			[0, 11],
			[41, 11],
		]);
		expect(rectAt(layoutPanes(4, 81, 22)!, 40, 0)?.index).toBe(0);
		expect(rectAt(layoutPanes(4, 81, 22)!, 41, 11)?.index).toBe(3);
		expect(rectAt(layoutPanes(4, 81, 22)!, 0, 22)).toBeUndefined();
	});

	it('never lays out more rows or columns than the area has: short of rows, more panes go side by side', () => {
		// Nine stacked at 40x9 would be titles alone: three by three keep two lines of log each.
		expect(shape(9, 40, 9)).toEqual([
			['13x3', '13x3', '12x3'],
			['13x3', '13x3', '12x3'],
			['13x3', '13x3', '12x3'],
		]);
		// Three in two rows: titles alone, side by side where two fit.
		expect(shape(3, 30, 2)).toEqual([['15x1', '14x1'], ['30x1']]);
		for (let count = 1; count <= 9; count++) {
			for (let width = 0; width <= 60; width += 3) {
				for (let height = 0; height <= 12; height++) {
					const layout = layoutPanes(count, width, height);
					if (layout === undefined) {
						continue;
					}

					const cells = layout.rows.flat();
					expect(cells).toHaveLength(count);
					for (const cell of cells) {
						expect(cell.column + cell.width, `${count} in ${width}x${height}`).toBeLessThanOrEqual(width);
						expect(cell.row + cell.height, `${count} in ${width}x${height}`).toBeLessThanOrEqual(height);
						expect(cell.height).toBeGreaterThanOrEqual(1);
					}
				}
			}
		}
	});

	it('says the panes do not fit when their titles would be too narrow or they have no row', () => {
		expect(layoutPanes(1, 11, 5)).toBeUndefined();
		expect(layoutPanes(1, 12, 1)).toBeDefined();
		expect(layoutPanes(1, 12, 0)).toBeUndefined();
		expect(layoutPanes(9, 40, 2)).toBeUndefined();
		expect(layoutPanes(2, 24, 1)).toBeUndefined();
		expect(layoutPanes(2, 25, 1)).toBeDefined();
	});
});
