import process from 'node:process';
import v8 from 'node:v8';
import vm from 'node:vm';
import {describe, expect, it} from 'vitest';
import {LineWindow} from '../../source/model/line-window.js';
import {LayoutCache, lineRows, type RowOptions} from '../../source/model/rows.js';
import type {PaneLine} from '../../source/model/pane-line.js';

/*
 * A window keeps its lines a column per field (held-lines.ts) and gives each back as it was put in.
 * What it costs a line is measured from what a full collection leaves: with a PaneLine object and a
 * timestamp string per line (what it held before) a window took 120 bytes a line besides the message;
 * it takes some 42 now.
 */

const at = (ms: number) => new Date(Date.UTC(2026, 10, 22, 10) + ms).toISOString();

function line(n: number, extra: Partial<PaneLine> = {}): PaneLine {
	return {timestamp: at(n), level: 'INFO', message: `line ${n}`, notice: false, ...extra};
}

describe('a window gives back each line as it was put in', () => {
	it('the time text, level, label, entity and notice mark, whatever form the time had', () => {
		const window = new LineWindow(8);
		const lines: PaneLine[] = [
			line(1),
			line(2, {level: 'ERROR', label: 'extract'}),
			line(3, {label: 'nightly-etl/extract', entity: 'nightly-etl'}),
			// Times whose text milliseconds cannot give back: kept as they came.
			line(4, {timestamp: '2026-11-22T10:00:00Z'}),
			line(5, {timestamp: 'not a time'}),
			line(6, {timestamp: '+275760-09-13T00:00:00.000Z', level: 'FATAL'}),
			{timestamp: at(7), level: 'INFO', message: 'run r-40 failed in 3s', notice: true},
		];
		for (const each of lines) {
			window.append({line: each});
		}

		for (const [index, each] of lines.entries()) {
			expect(window.get(index)).toEqual(each);
			const view = window.peek(index)!;
			expect([view.timestamp, view.level, view.message, view.label, view.entity, view.notice]).toEqual([
				each.timestamp,
				each.level,
				each.message,
				each.label,
				each.entity,
				each.notice,
			]);
		}

		// A slot taken by a newer line forgets the time text of the line it held.
		for (let n = 8; n < 16; n++) {
			window.append({line: line(n)});
		}

		// Positions 11 to 13 are in the slots lines 4 to 6 had.
		expect([window.get(11), window.get(12), window.get(13)]).toEqual([line(12), line(13), line(14)]);
	});

	it('gives back every time text exactly, read by hand or parsed (leap days, 24:00, years past 9999, garbage)', () => {
		const texts = [
			'2024-02-29T23:59:59.999Z',
			'2023-02-29T00:00:00.000Z',
			'2026-04-31T00:00:00.000Z',
			'2026-11-22T24:00:00.000Z',
			'2026-11-22T10:60:00.000Z',
			'2026-11-22T10:00:60.000Z',
			'2026-13-01T00:00:00.000Z',
			'2026-00-10T00:00:00.000Z',
			'0099-01-01T00:00:00.000Z',
			'0100-01-01T00:00:00.000Z',
			'1900-02-29T00:00:00.000Z',
			'2000-02-29T00:00:00.000Z',
			'9999-12-31T23:59:59.999Z',
			'+010000-01-01T00:00:00.000Z',
			'-000001-01-01T00:00:00.000Z',
			'2026-11-22T10:00:00.000+01:00',
			'2026-11-22 10:00:00.000Z',
			'2026-1x-22T10:00:00.000Z',
			'',
		];
		for (let n = 0; n < 2000; n++) {
			texts.push(new Date(Math.floor(Math.random() * 8e12) - 1e12).toISOString());
		}

		const window = new LineWindow(texts.length);
		for (const text of texts) {
			window.append({line: line(0, {timestamp: text})});
		}

		expect(texts.map((_, position) => window.get(position)!.timestamp)).toEqual(texts);
	});

	it('gives a line as an object of its own, which a later read does not change', () => {
		const window = new LineWindow(4);
		window.append({line: line(1)});
		window.append({line: line(2)});
		const first = window.get(0)!;
		window.get(1);
		window.peek(1);
		expect(first.message).toBe('line 1');
		expect(window.get(0)).not.toBe(first);
	});
});

describe('a layout cached for a line is found again though the window gives a new object', () => {
	const options: RowOptions = {width: 40, wrap: true, hscroll: 0, timestamps: 'none', now: 0};

	it('reuses the layout of the same text, and not of the same message under another label', () => {
		const window = new LineWindow(4);
		window.append({line: line(1, {message: 'x'.repeat(100)})});
		window.append({line: line(2, {message: 'x'.repeat(100), label: 'task'})});
		const cache = new LayoutCache();
		let computed = 0;
		const layout = (position: number) =>
			cache.layout(window.get(position)!, 'k', () => {
				computed++;
				return {pieces: [], cut: false};
			});
		layout(0);
		cache.nextFrame();
		layout(0);
		expect(computed).toBe(1);
		layout(1);
		expect(computed).toBe(2);
		// The rows themselves come out the same whether the layout was cached or not.
		const cached = new LayoutCache();
		lineRows(window.get(1)!, 1, options, false, cached);
		expect(lineRows(window.get(1)!, 1, options, false, cached)).toEqual(lineRows(window.get(1)!, 1, options));
	});
});

/** What a full collection leaves, in bytes: the heap and the typed arrays' memory outside it. */
function liveHeap(): number {
	v8.setFlagsFromString('--expose-gc');
	const gc = vm.runInNewContext('gc') as () => void;
	gc();
	gc();
	const {heapUsed, arrayBuffers} = process.memoryUsage();
	return heapUsed + arrayBuffers;
}

describe('what a window holds per line', () => {
	it('is its message and under 64 bytes, not an object and a time string per line', () => {
		const count = 100_000;
		const message = 'one message for every line, so only what the window adds is counted';
		const before = liveHeap();
		const window = new LineWindow(count);
		for (let n = 0; n < count; n++) {
			// Each line's time is its own, as on a busy stream: a string per line if the window kept the text.
			window.append({line: {timestamp: at(n), level: 'INFO', message, notice: false}, id: String(1000 + n), seq: n + 1});
		}

		const perLine = (liveHeap() - before) / count;
		expect(window.size).toBe(count);
		expect(perLine).toBeLessThan(64);
	});
});
