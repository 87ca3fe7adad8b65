import {stripVTControlCharacters as stripAnsi} from 'node:util';
import {describe, expect, it} from 'vitest';
import {Pane} from '../../source/model/pane.js';
import {stringWidth} from '../../source/model/text-columns.js';
import {cutMiddle, paneTitle, shortSourceName} from '../../source/ui/pane-title.js';
import {MemoryStream} from './memory-stream.js';

/* A pane's title row in a narrow pane: the source's id outlasts its kind, the quiet time and `running`. */

const plain = {color: false};
const now = Date.now();

function livePane(source: string, {filter, runStatus = 'running'}: {filter?: string; runStatus?: 'running' | 'failed'} = {}) {
	const stream = new MemoryStream(source);
	const pane = new Pane(source, () => stream, {}, () => {});
	pane.store.resize({rows: 5, width: 40});
	stream.state({kind: 'live', since: now - 1000});
	stream.run({runId: 'r-45', status: runStatus});
	if (filter) {
		pane.store.setFilter(filter);
	}

	return pane;
}

function title(pane: Pane, width: number, focused = false): string {
	return stripAnsi(paneTitle(pane, 3, focused, pane.store.snapshot(now), width, plain, now));
}

describe('pane titles', () => {
	it('keep the id in a grid pane where state and filter leave little room (it was cut to nothing)', () => {
		const pane = livePane('automation/ut-static', {filter: 'rows'});
		expect(title(pane, 30)).toBe(' 3 ut-static r-45 ● live  /ro…');
		expect(title(pane, 60)).toBe(' 3 automation/ut-static r-45 running ● live  /rows/'.padEnd(60));
		expect(title(livePane('task/extract', {filter: 'rows'}), 28)).toContain(' 3 extract r-45 ● live');
	});

	it('cut the middle of a long id before it goes, down to a few columns, and keep a finished run\'s status', () => {
		const pane = livePane('pipeline/nightly-warehouse-load', {runStatus: 'failed'});
		expect(title(pane, 34)).toBe(' 3 night…-load r-45 failed ● live ');
		expect(title(pane, 22)).toBe(' 3 night…load r-45 fa…');
	});

	it('are never wider than the pane, at any width, focused or not', () => {
		const pane = livePane('artifact/orders-parquet', {filter: 'a very long filter text'});
		for (let width = 1; width <= 80; width++) {
			for (const focused of [false, true]) {
				const line = title(pane, width, focused);
				expect(stringWidth(line), `width ${width}: "${line}"`).toBeLessThanOrEqual(width);
			}
		}
	});

	it('name a source by its id, a URL without its scheme', () => {
		expect(shortSourceName('automation/nightly-etl')).toBe('nightly-etl');
		expect(shortSourceName('task/extract?run=r-4')).toBe('extract?run=r-4');
		expect(shortSourceName('all')).toBe('all');
		expect(shortSourceName('https://logs.example.com/stream')).toBe('logs.example.com/stream');
		expect(cutMiddle('ut-static', 6)).toBe('ut-…ic');
		expect(cutMiddle('ut-static', 9)).toBe('ut-static');
		expect(cutMiddle('ut-static', 1)).toBe('…');
		// Wide characters are not split: the cut may be a column short.
		expect(cutMiddle('日本語のジョブ', 7)).toBe('日…ブ');
	});
});
