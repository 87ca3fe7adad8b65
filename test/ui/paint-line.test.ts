import {stripVTControlCharacters as stripAnsi} from 'node:util';
import {describe, expect, it} from 'vitest';
import {stringWidth} from '../../source/model/text-columns.js';
import {barWidth, paintLine, type Segment} from '../../source/ui/paint.js';

const plain = {color: false};
const segments: Segment[] = [{text: '▶1 artifact/orders-parquet '}, {text: 'r-182 ', whole: true}, {text: 'failed'}, {text: ' '}, {text: '●'}, {text: ' live '}];
const full = segments.map((segment) => segment.text).join('');

describe('paintLine', () => {
	it('is never wider than the pane, wherever the cut falls, and ends a cut line with …', () => {
		for (let width = 1; width <= stringWidth(full) + 2; width++) {
			const line = stripAnsi(paintLine(segments, width, plain, {inverse: true}));
			expect(stringWidth(line), `width ${width}: "${line}"`).toBeLessThanOrEqual(width);
			if (width < stringWidth(full)) {
				expect(line.trimEnd().endsWith('…'), `width ${width}: "${line}"`).toBe(true);
				expect(stringWidth(line)).toBe(width);
			} else {
				expect(line.startsWith(full)).toBe(true);
			}
		}
	});

	it('never cuts a segment that must be whole: a run id is shown whole or not at all', () => {
		const width = stringWidth('▶1 artifact/orders-parquet r-18');
		expect(stripAnsi(paintLine(segments, width, plain))).toBe('▶1 artifact/orders-parquet …');
	});

	it('cuts where a segment ends exactly at the pane edge and more follow', () => {
		const width = stringWidth('▶1 artifact/orders-parquet r-182 failed');
		expect(stripAnsi(paintLine(segments, width, plain))).toBe('▶1 artifact/orders-parquet r-182 faile…');
	});
});

describe('barWidth', () => {
	it('gives what stringWidth gives, asked once or again, for short, wide and long texts', () => {
		const texts = ['', ' live ', '▶1 ', '●', '▁▂▃▅▇█', '日本語 ', 'é'.repeat(300), `${'x'.repeat(2000)}日`, '👍🏽'];
		for (let round = 0; round < 3; round++) {
			for (const text of texts) {
				expect(barWidth(text), text.slice(0, 20)).toBe(stringWidth(text));
			}
		}
	});

	it('stays right when its table of texts is cleared', () => {
		for (let index = 0; index < 3000; index++) {
			expect(barWidth(`${index}▁日`)).toBe(String(index).length + 3);
		}

		expect(barWidth('▶1 ')).toBe(3);
	});
});
