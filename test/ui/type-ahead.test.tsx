import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer, viewerWithLines} from './render-viewer.js';

/*
 * Keys typed faster than frames, through Ink's own reads: what one read holds, and reads that come back to
 * back before a frame. What each key does is unit-tested on the state model (test/model/viewer-state.test.ts);
 * these hold the seam between Ink's input and the model to it.
 */

afterEach(() => {
	cleanup();
});

const store = (viewer: ReturnType<typeof renderViewer>) => viewer.workspace.focused!.store;

describe('keys typed ahead of the filter prompt', () => {
	it('gives a prompt the keys that came in the same read as the key that opened it, Enter included', async () => {
		const viewer = await viewerWithLines();
		// One write, as tmux send-keys "/ conn Enter" or a laggy ssh link delivers it.
		await viewer.press('/conn\r');
		const frame = await viewer.showing('/conn/ 2 shown');
		expect(frame).not.toContain('timeout');
		// The prompt is closed: the next key is a pane key again.
		expect(frame).not.toMatch(/^\/ conn/m);
	});

	it('keys that come after the Enter but before a frame are pane keys, not more pattern', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/conn');
		await viewer.burst('\r', 'p', '\u001B');
		expect(store(viewer).filterText).toBe('conn');
		expect(store(viewer).paused).toBe(true);
	});

	it('keeps every key of reads that come before the prompt is drawn again', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'co');
		await viewer.burst('nn', '\u0015', 're', 'try');
		expect(store(viewer).filterText).toBe('retry');
	});

	it('applies Ctrl-U, Backspace and Enter that come inside a run of keys', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/!info\u0015!INF\u007FFO');
		expect(store(viewer).filterText).toBe('!INFO');
		await viewer.press('\u0015ret\u0015retry\rp');
		expect(store(viewer).filterText).toBe('retry');
		expect(store(viewer).paused).toBe(true);
	});

	it('with the cursor moved left (an escape sequence of its own), a run and its Enter go in at the cursor', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'conn', keys.left, keys.left, 'x\r');
		expect(store(viewer).filterText).toBe('coxnn');
		expect(viewer.workspace.panes).toHaveLength(1);
		expect(store(viewer).paused).toBe(false);
	});

	it('takes a bracketed paste as text: its line break does not submit', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/');
		await viewer.burst('\u001B[200~', 'connect\nok', '\u001B[201~');
		expect(store(viewer).filterText).toBe('connect ok');
		await viewer.frame((frame) => /^\/ connect ok/m.test(frame), 'the prompt holding the paste');
	});

	it('takes a whole search and its Enter in one read', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('sconnect\r');
		await viewer.showing('search "connect" 2 hits');
		expect(store(viewer).cursorLine()?.message).toBe('connect ok again');
	});
});

const catalog = async () => [
	{name: 'all'},
	{name: 'task/extract', status: 'running' as const, owners: ['automation/nightly-etl']},
	{name: 'task/fetch-orders', status: 'running' as const, owners: ['automation/nightly-etl']},
	{name: 'artifact/report-csv', status: 'succeeded' as const, owners: ['pipeline/sales']},
];

describe('keys typed ahead of the source picker', () => {
	it('opens the picker with the query typed in the same read, picks the top match on Enter, and gives the new pane the rest', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await viewer.press('o');
		await viewer.showing('task/fetch-orders');
		await viewer.press('fetch\rp');
		await viewer.frame((frame) => /▶2 task\/fetch-orders/.test(frame), 'the new pane focused');
		expect(viewer.stream('task/fetch-orders').started).toBe(true);
		expect(store(viewer).paused).toBe(true);
	});

	it('opens what was typed when Enter comes before the picker is drawn again', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await viewer.press('o');
		await viewer.showing('task/fetch-orders');
		await viewer.burst('fetch', '\r');
		await viewer.frame((frame) => /▶2 task\/fetch-orders/.test(frame), 'the new pane focused');
	});

	it('keys typed after an Enter while the catalog loads wait for the pick instead of editing the query', async () => {
		let arrive: (entries: Awaited<ReturnType<typeof catalog>>) => void = () => undefined;
		const loading = new Promise<Awaited<ReturnType<typeof catalog>>>((resolve) => {
			arrive = resolve;
		});
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: async () => loading});
		await viewer.press('o', 'task/b\r', 'p');
		arrive([]);
		await viewer.frame((frame) => /▶2 task\/b /.test(frame), 'the new pane focused');
		expect(store(viewer).paused).toBe(true);
	});

	it('takes etl, three Backspaces and "nightly load" sent one key per write with no frame between, in both prompts', async () => {
		for (let attempt = 0; attempt < 5; attempt++) {
			const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
			await viewer.press('o');
			await viewer.burst(...'etl', keys.backspace, keys.backspace, keys.backspace, ...'nightly load');
			await viewer.showing('> nightly load');
			viewer.unmount();
			const filter = await viewerWithLines();
			await filter.burst('/', ...'etl', keys.backspace, keys.backspace, keys.backspace, ...'nightly load');
			expect(store(filter).filterText).toBe('nightly load');
			filter.unmount();
		}
	});

	it('marks the top match as it is typed, fzf-style, and a moved selection wins', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await viewer.press('o');
		await viewer.showing('task/fetch-orders');
		await viewer.press('fe', 'tch');
		await viewer.showing('> fetch', '▶ task/fetch-orders');
		await viewer.press(keys.escape, 'o');
		await viewer.showing('task/fetch-orders');
		await viewer.press('task/', keys.down, keys.enter);
		await viewer.frame((frame) => /▶2 task\//.test(frame), 'the second task opened');
	});
});
