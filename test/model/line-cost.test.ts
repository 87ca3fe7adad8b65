import {describe, expect, it, vi} from 'vitest';
import {LINE_ROWS_LIMIT, lineHeight, lineRows, lineSpan, SIDEWAYS_LIMIT, type RowOptions} from '../../source/model/rows.js';
import {toPaneLine} from '../../source/model/pane-line.js';
import type * as TextColumns from '../../source/model/text-columns.js';

/*
 * What laying a huge line out costs, counted rather than timed: every string the row layout hands to the
 * column functions (tab expansion, wrapping, measuring, cutting) is counted in characters, and so is what
 * the grapheme segmenter is given. A stopwatch flakes on a shared 2-core machine; a count does not. The
 * layout before rows were bounded handed the whole message to expandTabs and stringWidth, so these fail
 * on it by a factor of a hundred.
 */
const read = vi.hoisted(() => ({characters: 0, largest: 0}));

vi.mock('../../source/model/text-columns.js', async (importOriginal) => {
	const original = await importOriginal<typeof TextColumns>();
	const counted =
		<A extends unknown[], R>(fn: (text: string, ...rest: A) => R) =>
		(text: string, ...rest: A): R => {
			read.characters += text.length;
			read.largest = Math.max(read.largest, text.length);
			return fn(text, ...rest);
		};

	return {
		...original,
		expandTabs: counted(original.expandTabs),
		sliceColumns: counted(original.sliceColumns),
		stringWidth: counted(original.stringWidth),
		wrapRows: counted(original.wrapRows),
		wrapColumns: counted(original.wrapColumns),
		columnsUpTo: counted(original.columnsUpTo),
	};
});

const segmented = {characters: 0};
const segment = Intl.Segmenter.prototype.segment;
Intl.Segmenter.prototype.segment = function (this: Intl.Segmenter, text: string) {
	segmented.characters += text.length;
	return segment.call(this, text);
};

const width = 120;
const options: RowOptions = {width, wrap: true, hscroll: 0, timestamps: 'none', now: 0};
const huge = (message: string) => toPaneLine({timestamp: '2026-11-22T10:00:00Z', level: 'INFO', message});

/** Lays a line out as a pane does (rows, height, sideways measure, a row scrolled far right); returns what was read. */
function cost(message: string): {characters: number; largest: number; segmented: number} {
	read.characters = 0;
	read.largest = 0;
	segmented.characters = 0;
	const line = huge(message);
	lineRows(line, 0, options);
	lineHeight(line, options);
	lineSpan(line, {...options, wrap: false});
	lineRows(line, 0, {...options, wrap: false, hscroll: SIDEWAYS_LIMIT});
	return {characters: read.characters, largest: read.largest, segmented: segmented.characters};
}

describe('laying out a huge line reads a bounded part of it', () => {
	// Rows x columns, a few code units a column (wide and combining text), for each of the four layouts.
	const bound = 4 * LINE_ROWS_LIMIT * (width + 1) * 4 + 4 * (SIDEWAYS_LIMIT + 1) * 4;

	for (const [name, unit] of [
		['ASCII', 'x'],
		['é', 'é'],
		['é and spaces', 'é '],
		['emoji', '👍🏽'],
	] as const) {
		it(`${name}: what is read does not grow with the line, and stays within rows x width`, () => {
			const mebibyte = cost(unit.repeat(Math.ceil(1_048_700 / unit.length)));
			const fourMebibytes = cost(unit.repeat(Math.ceil((4 * 1_048_700) / unit.length)));
			// The same but for the cut marker, which says how long the line is (`4,194,800 characters in all`).
			expect(fourMebibytes.largest).toBe(mebibyte.largest);
			expect(Math.abs(fourMebibytes.characters - mebibyte.characters)).toBeLessThan(64);
			expect(Math.abs(fourMebibytes.segmented - mebibyte.segmented)).toBeLessThan(64);
			expect(mebibyte.characters).toBeLessThan(bound);
			expect(mebibyte.largest).toBeLessThan(LINE_ROWS_LIMIT * (width + 1) * 4 + 64);
			expect(mebibyte.segmented).toBeLessThan(bound);
		});
	}

	it('a pane height of rows reads a pane height of text', () => {
		read.characters = 0;
		lineRows(huge('x'.repeat(1_048_700)), 0, {...options, maxRows: 5});
		expect(read.characters).toBeLessThan(5 * (width + 1) * 4 * 2 + 256);
	});
});
