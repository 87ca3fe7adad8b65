import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {KEYS_WIDTH} from '../../source/ui/help-overlay.js';
import {HELP_ROWS} from '../../source/model/key-table.js';
import {App} from '../../source/ui/app.js';
import {keys, renderViewer, viewerWithLines} from './render-viewer.js';

afterEach(() => {
	cleanup();
});

describe('filter prompt', () => {
	it('filters live as typed, keeps the filter on Enter and shows it in the status bar', async () => {
		const viewer = await viewerWithLines();
		const typing = await viewer.press('/', 'conn');
		expect(typing).toMatch(/^\/ conn/m);
		expect(typing).toContain('connect ok again');
		expect(typing).not.toContain('timeout');
		// While the prompt is open its keys are not pane keys: "q" is typed, it does not quit.
		await viewer.press('q');
		expect(viewer.quits()).toBe(0);
		await viewer.press(keys.backspace);
		const kept = await viewer.press(keys.enter);
		expect(kept).not.toContain('timeout');
		expect(kept).toContain('/conn/ 2 shown');
	});

	it('finds lines by the level word they show', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('/', 'ERROR', keys.enter);
		expect(frame).toContain('ERROR timeout talking to db');
		expect(frame).toContain('/ERROR/ 1 shown');
		expect(frame).not.toContain('connect ok');
	});

	it('excludes with a leading ! and clears on Esc', async () => {
		const viewer = await viewerWithLines();
		const excluded = await viewer.press('/', '!connect');
		expect(excluded).toContain('timeout talking to db');
		expect(excluded).not.toContain('connect ok');
		const cleared = await viewer.press(keys.escape);
		expect(cleared).toContain('connect ok again');
		expect(cleared).not.toContain('shown');
	});

	it('says an invalid regex is invalid and does not apply it', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('/', ...'retry(');
		expect(frame).toMatch(/invalid regex: .*retry\(/);
		// The last valid text ("retry") is what filters meanwhile.
		expect(frame).toContain('retry scheduled');
		expect(frame).not.toContain('connect ok');
	});
});

describe('search prompt', () => {
	it('marks matches without hiding lines and jumps with n / N', async () => {
		const viewer = await viewerWithLines();
		const found = await viewer.press('s', 'connect', keys.enter);
		expect(found).toContain('timeout talking to db');
		expect(found).toContain('search "connect" 2 hits');
		expect(found).toContain('not following');
		// From the live end, Enter lands on the newest match; n goes on (wrapping to the top), N back.
		const cursor = () => viewer.workspace.focused?.store.cursorLine()?.message;
		expect(cursor()).toBe('connect ok again');
		await viewer.press('n');
		expect(cursor()).toBe('connect ok');
		await viewer.press('N');
		expect(cursor()).toBe('connect ok again');
	});

	it('from the live end, Enter lands on the newest match also when the newest line is not one', async () => {
		const viewer = await viewerWithLines();
		viewer.stream('task/a').log('closed by peer');
		await viewer.screen();
		await viewer.press('s', 'connect', keys.enter);
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('connect ok again');
	});

	it('jumps between ERROR lines with e / E', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('E');
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('timeout talking to db');
		expect(await viewer.press('E')).toContain('no earlier ERROR line');
		// The message answered that key; the next one that works takes it away.
		expect(await viewer.press('G')).not.toContain('no earlier ERROR line');
	});
});

describe('help overlay', () => {
	it('lists every key and closes on any key', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 30});
		const help = await viewer.press('?');
		for (const expected of ['q  Ctrl-C', 'Tab  Shift-Tab', '1-9', 'z ', 'o ', 'x ', '/ ', '+  -', 'Space  p', 'P ', 'g  G', 'Ctrl-D  Ctrl-U', 'f  b  PgDn  PgUp', 'w ', 'h  l', 'e  E', 'c ', 't ', 'n  N', 's ']) {
			expect(help).toContain(expected);
		}

		const closed = await viewer.press('j');
		expect(closed).toMatch(/▶1 task\/a/);
		expect(viewer.quits()).toBe(0);
	});

	it.each([
		[80, 24],
		[120, 40],
	])('shows every key with its whole description at %ix%i', async (columns, rows) => {
		const viewer = renderViewer({sources: ['task/a'], columns, rows});
		const help = await viewer.press('?');
		const lines = help.split('\n');
		expect(lines.length).toBeLessThanOrEqual(rows);
		for (const {keys, help: text} of HELP_ROWS) {
			expect(lines).toContainEqual(expect.stringContaining(`${keys.padEnd(KEYS_WIDTH)}${text}`));
		}
	});

	it('at 60x20 shows every key in two columns with its short help whole', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 60, rows: 20});
		const help = await viewer.press('?');
		const lines = help.split('\n');
		expect(lines.length).toBeLessThanOrEqual(20);
		for (const {keys, brief} of HELP_ROWS) {
			const shown = keys.replaceAll('  ', ' ');
			expect(lines.some((line) => line.includes(`${shown} `) && line.indexOf(brief) > line.indexOf(shown)), `${shown} ${brief}`).toBe(true);
		}

		expect(help).not.toContain('…');
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
		expect(await viewer.screen()).toContain('Open a source');
		expect(await viewer.press(keys.escape)).not.toContain('Open a source');
		// What runApp does on a resize: the same App again, with new callbacks.
		viewer.rerender(<App workspace={viewer.workspace} size={{columns: 100, rows: 16}} loadSources={catalog} writeRaw={() => undefined} redraw={() => undefined} />);
		expect(await viewer.screen()).not.toContain('Open a source');
	});

	it('opens when started with no sources, fuzzy-matches and opens a pane on Enter', async () => {
		const viewer = renderViewer({columns: 100, rows: 16, loadSources: catalog});
		const picker = await viewer.screen();
		expect(picker).toContain('Open a source');
		expect(picker).toContain('artifact/report-csv succeeded');
		const narrowed = await viewer.press('rep');
		expect(narrowed).toContain('▶ artifact/report-csv');
		expect(narrowed).not.toContain('task/extract');
		const opened = await viewer.press(keys.enter);
		expect(opened).toMatch(/▶1 artifact\/report-csv/);
		expect(viewer.stream('artifact/report-csv').started).toBe(true);
	});

	it('chooses with the arrows and closes on Esc', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await viewer.press('o');
		const moved = await viewer.press(keys.down);
		expect(moved).toContain('▶ task/extract');
		const closed = await viewer.press(keys.escape);
		expect(closed).toMatch(/▶1 task\/a/);
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
		expect(await viewer.screen()).toContain('cannot list sources: cannot reach http://127.0.0.1:9 (ECONNREFUSED)');
		const bad = await viewer.press('nonsense', keys.enter);
		expect(bad).toContain('unknown source "nonsense"');
		await viewer.press(...Array.from({length: 8}, () => keys.backspace));
		const opened = await viewer.press('task/load', keys.enter);
		expect(opened).toMatch(/▶1 task\/load/);
	});
});
