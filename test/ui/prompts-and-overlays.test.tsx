import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {KEYS_WIDTH} from '../../source/ui/help-overlay.js';
import {HELP_ROWS} from '../../source/model/key-table.js';
import {App} from '../../source/ui/app.js';
import {keys, renderViewer, viewerWithLines} from './render-viewer.js';

/* What the prompts, the help and the picker draw. What their keys do is unit-tested (test/model/viewer-state.test.ts). */

afterEach(() => {
	cleanup();
});

describe('filter prompt', () => {
	it('shows the line as typed, filters live, and the status bar says the filter once kept', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'conn');
		const typing = await viewer.frame((frame) => /^\/ conn/m.test(frame) && !frame.includes('timeout'), 'the prompt and the filtered lines');
		expect(typing).toContain('connect ok again');
		await viewer.press(keys.enter);
		const kept = await viewer.showing('/conn/ 2 shown');
		expect(kept).not.toContain('timeout');
	});

	it('finds lines by the level word they show', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'ERROR', keys.enter);
		const frame = await viewer.showing('/ERROR/ 1 shown', 'ERROR timeout talking to db');
		expect(frame).not.toContain('connect ok');
	});

	it('excludes with a leading ! and clears on Esc', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', '!connect');
		const excluded = await viewer.frame((frame) => frame.includes('timeout talking to db') && !frame.includes('connect ok'), 'the excluded lines gone');
		expect(excluded).toContain('retry scheduled');
		await viewer.press(keys.escape);
		const cleared = await viewer.showing('connect ok again');
		expect(cleared).not.toContain('shown');
	});

	it('says an invalid regex is invalid and does not apply it', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', ...'retry(');
		const frame = await viewer.frame((shown) => /invalid regex: .*retry\(/.test(shown), 'the invalid regex said');
		// The last valid text ("retry") is what filters meanwhile.
		expect(frame).toContain('retry scheduled');
		expect(frame).not.toContain('connect ok');
	});
});

describe('search', () => {
	it('marks matches without hiding lines, and says the hits in the status bar', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('s', 'connect', keys.enter);
		const found = await viewer.showing('search "connect" 2 hits', 'not following');
		expect(found).toContain('timeout talking to db');
	});

	it('says there is no earlier ERROR line, until the next key', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('E', 'E');
		await viewer.showing('no earlier ERROR line');
		await viewer.press('G');
		await viewer.frame((frame) => !frame.includes('no earlier ERROR line'), 'the message gone');
	});
});

describe('help overlay', () => {
	it('lists every key and closes on any key', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 30});
		await viewer.press('?');
		const help = await viewer.showing('dbtail keys');
		for (const expected of ['q  Ctrl-C', 'Tab  Shift-Tab', '1-9', 'z ', 'o ', 'x ', '/ ', '+  -', 'Space  p', 'P ', 'g  G', 'Ctrl-D  Ctrl-U', 'f  b  PgDn  PgUp', 'w ', 'h  l', 'e  E', 'c ', 't ', 'n  N', 's ']) {
			expect(help).toContain(expected);
		}

		await viewer.press('j');
		await viewer.showing('▶1 task/a');
		expect(viewer.quits()).toBe(0);
	});

	it.each([
		[80, 24],
		[120, 40],
	])('shows every key with its whole description at %ix%i', async (columns, rows) => {
		const viewer = renderViewer({sources: ['task/a'], columns, rows});
		await viewer.press('?');
		const lines = (await viewer.showing('dbtail keys')).split('\n');
		expect(lines.length).toBeLessThanOrEqual(rows);
		for (const {keys, help: text} of HELP_ROWS) {
			expect(lines).toContainEqual(expect.stringContaining(`${keys.padEnd(KEYS_WIDTH)}${text}`));
		}
	});

	it.each([
		[60, 20],
		[60, 15],
	])('at %ix%i shows every key in two columns with its short help whole, a blank column between them', async (columns, rows) => {
		const viewer = renderViewer({sources: ['task/a'], columns, rows});
		await viewer.press('?');
		const lines = (await viewer.showing('dbtail keys')).split('\n');
		expect(lines.length).toBeLessThanOrEqual(rows);
		for (const {keys, brief} of HELP_ROWS) {
			const shown = keys.replaceAll('  ', ' ');
			expect(lines.some((line) => line.includes(`${shown} `) && line.indexOf(brief) > line.indexOf(shown)), `${shown} ${brief}`).toBe(true);
		}

		expect(lines.join('\n')).not.toContain('…');
		// The left column is the first half of the 59 columns the viewer draws in; its last column stays blank.
		const gap = Math.floor((columns - 1) / 2) - 1;
		for (const line of lines.slice(1)) {
			expect(line[gap] ?? ' ', line).toBe(' ');
		}
	});
});

describe('source picker', () => {
	const catalog = async () => [
		{name: 'automation/nightly-etl', status: 'running' as const},
		{name: 'task/extract', status: 'running' as const, owners: ['automation/nightly-etl']},
		{name: 'artifact/report-csv', status: 'succeeded' as const, owners: ['pipeline/sales']},
	];

	it('opens once when started with no sources: closed with Esc, it stays closed when the App gets new props', async () => {
		const viewer = renderViewer({columns: 100, rows: 16, loadSources: catalog});
		await viewer.showing('Open a source');
		await viewer.press(keys.escape);
		await viewer.showing('No sources open');
		// What runApp does on a resize: the same App again, with new callbacks.
		viewer.rerender(<App workspace={viewer.workspace} size={{columns: 100, rows: 16}} loadSources={catalog} writeRaw={() => undefined} redraw={() => undefined} />);
		await viewer.press('?');
		await viewer.showing('dbtail keys');
		await viewer.press('q');
		const frame = await viewer.showing('No sources open');
		expect(frame).not.toContain('Open a source');
	});

	it('opens when started with no sources, fuzzy-matches and opens a pane on Enter', async () => {
		const viewer = renderViewer({columns: 100, rows: 16, loadSources: catalog});
		await viewer.showing('Open a source', 'artifact/report-csv succeeded');
		await viewer.press('rep');
		const narrowed = await viewer.showing('▶ artifact/report-csv');
		expect(narrowed).not.toContain('task/extract');
		await viewer.press(keys.enter);
		await viewer.showing('▶1 artifact/report-csv');
		expect(viewer.stream('artifact/report-csv').started).toBe(true);
	});

	it('marks the chosen row as the arrows move it, and a short list scrolls to keep it in view', async () => {
		const many = async () => Array.from({length: 30}, (_, index) => ({name: `task/t${String(index).padStart(2, '0')}`}));
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 10, loadSources: many});
		await viewer.press('o');
		await viewer.showing('▶ task/t00');
		await viewer.press(...Array.from({length: 12}, () => keys.down));
		const moved = await viewer.showing('▶ task/t12');
		expect(moved).not.toContain('task/t00');
		await viewer.press(keys.escape);
		await viewer.showing('▶1 task/a');
		expect(viewer.workspace.panes).toHaveLength(1);
	});

	it('shows why the catalog cannot be listed, and still opens a typed source', async () => {
		const viewer = renderViewer({
			columns: 100,
			rows: 16,
			loadSources: async () => {
				throw new Error('cannot reach http://127.0.0.1:9 (ECONNREFUSED)');
			},
		});
		await viewer.showing('cannot list sources: cannot reach http://127.0.0.1:9 (ECONNREFUSED)');
		await viewer.press('nonsense', keys.enter);
		await viewer.showing('unknown source "nonsense"');
		await viewer.press('\u0015', 'task/load', keys.enter);
		await viewer.showing('▶1 task/load');
	});
});
