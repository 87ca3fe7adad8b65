import {describe, expect, test} from 'vitest';
import {ansiToSvg, applySgr, color256, parseRow} from '../../scripts/ansi-to-svg.js';

// Unit tests of the converter the screenshot script uses; the row below is what tmux 3.3
// `capture-pane -e -p` printed for a line with bold red, dim, 256-color, true-color and a wide character.
const captured =
	'\u001B[1m\u001B[31mB\u001B[0m\u001B[39m\u001B[49m \u001B[2mdim\u001B[0m\u001B[39m\u001B[49m ' +
	'\u001B[38;5;208mor\u001B[48;2;10;20;30mrgb\u001B[39m\u001B[49m 中x';

describe('ansi-to-svg', () => {
	test('splits a captured row into styled runs at their terminal columns', () => {
		const {runs} = parseRow(captured);
		expect(runs.map(run => [run.column, run.text])).toEqual([
			[0, 'B'],
			[1, ' '],
			[2, 'dim'],
			[5, ' '],
			[6, 'or'],
			[8, 'rgb'],
			[11, ' 中x'],
		]);
		expect(runs[0]!.style).toMatchObject({bold: true, fg: '#cc6666'});
		expect(runs[2]!.style.dim).toBe(true);
		expect(runs[4]!.style.fg).toBe(color256(208));
		expect(runs[5]!.style).toMatchObject({fg: color256(208), bg: '#0a141e'});
		expect(runs[6]!.width).toBe(4); // The CJK character takes two columns.
	});

	test('reads the 256-color cube, the grey ramp and resets', () => {
		expect(color256(196)).toBe('#ff0000');
		expect(color256(232)).toBe('#080808');
		expect(applySgr({fg: '#123456', bold: true}, '')).toMatchObject({fg: undefined, bold: false});
		expect(applySgr({}, '7;94')).toMatchObject({inverse: true, fg: '#9fc3e6'});
	});

	test('writes escaped text, backgrounds and inverse video into the SVG', () => {
		const svg = ansiToSvg('\u001B[7m<q> & "quit"\u001B[0m\nsecond row\n', {columns: 20, rows: 2, title: 'dbtail'});
		expect(svg).toMatch(/^<svg /);
		expect(svg).toContain('&lt;q&gt; &amp; &quot;quit&quot;');
		expect(svg).toContain('>second row</text>');
		// Inverse: the default foreground becomes the background of the run.
		expect(svg).toMatch(/<rect x="12\.0" y="40" width="\d+\.\d" height="18" fill="#c5c8c6"\/>/);
		expect(svg).toContain('>dbtail</text>');
	});
	test('places a run\'s leading spaces and wide gaps as columns, since a browser drops or folds them in SVG text', () => {
		// 14 px type: a cell is 8.4 px, the text starts 12 px in.
		const svg = ansiToSvg('\u001B[32m●\u001B[39m live  │ 中 a    b\n', {columns: 30, rows: 1});
		expect(svg).toContain('x="28.8" fill="#c5c8c6">live</text>');
		expect(svg).toContain('x="79.2" fill="#c5c8c6">│ 中 a</text>');
		expect(svg).toContain('x="163.2" fill="#c5c8c6">b</text>');
		expect(svg).not.toMatch(/> /);
	});
});
