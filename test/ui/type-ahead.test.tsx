import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer, viewerWithLines} from './render-viewer.js';

afterEach(() => {
	cleanup();
});

const store = (viewer: ReturnType<typeof renderViewer>) => viewer.workspace.focused!.store;
const LEFT = '\u001B[D';

describe('keys typed ahead of the filter prompt', () => {
	it('gives a prompt the keys that came in the same read as the key that opened it, Enter included', async () => {
		const viewer = await viewerWithLines();
		// One write, as tmux send-keys "/ conn Enter" or a laggy ssh link delivers it.
		const frame = await viewer.press('/conn\r');
		expect(frame).toContain('/conn/ 2 shown');
		expect(frame).not.toContain('timeout');
		// The prompt is closed: the next key is a pane key again.
		expect(frame).not.toMatch(/^\/ conn/m);
	});

	it('submits at an Enter inside a run typed into an open prompt instead of keeping it in the pattern', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/');
		const frame = await viewer.press('retry\r');
		expect(frame).toContain('/retry/ 1 shown');
		expect(frame).toContain('retry scheduled');
	});

	it('appends a later burst after the typed-ahead text, not before it', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/con', 'nect', ' ok');
		expect(store(viewer).filterText).toBe('connect ok');
		const frame = await viewer.press('\r');
		expect(frame).toContain('/connect ok/ 2 shown');
	});

	it('hands the keys after the Enter back to the panes, in one read and in a read into the open prompt', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('/conn\rp');
		expect(frame).toContain('/conn/ 2 shown');
		expect(store(viewer).paused).toBe(true);
		await viewer.press('p', '/');
		expect(store(viewer).paused).toBe(false);
		await viewer.press('retry\rp');
		expect(store(viewer).filterText).toBe('connretry');
		expect(store(viewer).paused).toBe(true);
	});

	it('keys that come after the Enter but before the prompt is gone are pane keys, not more pattern', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/conn');
		// Separate reads with no frame between them: the prompt is still mounted when `p` and Esc arrive.
		await viewer.burst('\r', 'p', '\u001B');
		expect(store(viewer).filterText).toBe('conn');
		expect(store(viewer).paused).toBe(true);
	});

	it('opens the next prompt when the keys after an Enter start one', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('/conn\rsok\r');
		expect(store(viewer).filterText).toBe('conn');
		expect(store(viewer).searchText).toBe('ok');
		expect(frame).toContain('search "ok" 2 hits');
	});

	it('clears the line on Ctrl-U and goes on from an empty line', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'tim(');
		await viewer.press('\u0015');
		expect(store(viewer).filterText).toBe('');
		await viewer.press('retry');
		expect(store(viewer).filterText).toBe('retry');
	});

	it('keeps every key of reads that come before the prompt is drawn again', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'co');
		await viewer.burst('nn', '\u0015', 're', 'try');
		expect(store(viewer).filterText).toBe('retry');
	});

	it('applies Ctrl-U and Backspace that come inside a run of keys', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/!info\u0015!INF\u007FFO');
		expect(store(viewer).filterText).toBe('!INFO');
		await viewer.press('\u0015ret\u0015retry\r');
		expect(store(viewer).filterText).toBe('retry');
	});

	it('with the cursor moved left, keys and an Enter go in at the cursor, and no part of the line becomes pane keys', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'conn', LEFT, LEFT);
		await viewer.press('x\r');
		expect(store(viewer).filterText).toBe('coxnn');
		expect(viewer.workspace.panes).toHaveLength(1);
		expect(store(viewer).paused).toBe(false);
	});

	it('with the cursor moved left, a key read after the Enter before a frame is that key for the panes', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'conn', LEFT);
		await viewer.burst('\r', 'p');
		expect(store(viewer).filterText).toBe('conn');
		expect(store(viewer).paused).toBe(true);
	});

	it('edits at the end of the typed-ahead text', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/retrx', '\u007F', 'y');
		expect(store(viewer).filterText).toBe('retry');
	});
});

describe('keys typed ahead of the search prompt', () => {
	it('takes a whole search and its Enter in one read', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('sconnect\r');
		expect(store(viewer).searchText).toBe('connect');
		expect(frame).toContain('search "connect" 2 hits');
		expect(store(viewer).cursorLine()?.message).toBe('connect ok again');
	});

	it('takes a search split across reads', async () => {
		const viewer = await viewerWithLines();
		const frame = await viewer.press('sco', 'nne', 'ct\r');
		expect(store(viewer).searchText).toBe('connect');
		expect(frame).toContain('search "connect" 2 hits');
	});
});

const catalog = async () => [
	{name: 'all'},
	{name: 'task/extract', status: 'running' as const, owners: ['automation/nightly-etl']},
	{name: 'task/fetch-orders', status: 'running' as const, owners: ['automation/nightly-etl']},
	{name: 'artifact/report-csv', status: 'succeeded' as const, owners: ['pipeline/sales']},
];

describe('keys typed ahead of the source picker', () => {
	it('opens the picker with the query typed in the same read and picks the top match on Enter', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		const frame = await viewer.press('ofetch\r');
		expect(frame).toMatch(/▶2 task\/fetch-orders/);
		expect(viewer.stream('task/fetch-orders').started).toBe(true);
	});

	it('hands keys typed after the Enter to the new pane', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		const frame = await viewer.press('ofetch\rp');
		expect(frame).toMatch(/▶2 task\/fetch-orders/);
		expect(store(viewer).paused).toBe(true);
	});

	it('opens what was typed when Enter comes before the picker is drawn again', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await viewer.press('o');
		const frame = await viewer.burst('fetch', '\r');
		expect(frame).toMatch(/▶2 task\/fetch-orders/);
	});

	it('keys typed after an Enter while the catalog loads wait for the pick instead of editing the query', async () => {
		let arrive: (entries: Awaited<ReturnType<typeof catalog>>) => void = () => undefined;
		const loading = new Promise<Awaited<ReturnType<typeof catalog>>>((resolve) => {
			arrive = resolve;
		});
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: async () => loading});
		await viewer.press('o', 'task/b\r', 'p');
		arrive([]);
		const frame = await viewer.screen();
		expect(frame).toMatch(/▶2 task\/b /);
		expect(store(viewer).paused).toBe(true);
	});

	it('takes a query split across reads', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		const typed = await viewer.press('ofe', 'tch');
		expect(typed).toContain('> fetch');
		expect(typed).toContain('▶ task/fetch-orders');
		const frame = await viewer.press('\r');
		expect(frame).toMatch(/▶2 task\/fetch-orders/);
	});
});

describe('the prompts\' line editing', () => {
	it('takes etl, three Backspaces and "nightly load" sent one key per write with no frame between', async () => {
		for (let attempt = 0; attempt < 5; attempt++) {
			const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
			await viewer.press('o');
			const frame = await viewer.burst(...'etl', keys.backspace, keys.backspace, keys.backspace, ...'nightly load');
			expect(frame).toContain('> nightly load');
			viewer.unmount();
			const filter = await viewerWithLines();
			await filter.burst('/', ...'etl', keys.backspace, keys.backspace, keys.backspace, ...'nightly load');
			expect(store(filter).filterText).toBe('nightly load');
			filter.unmount();
		}
	});

	it('knows readline keys: Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U, Ctrl-K, Alt-B, Alt-F, arrows, in both prompts', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'retry scheduled', '\u0001', 'x', '\u0005', 'y');
		expect(store(viewer).filterText).toBe('xretry scheduledy');
		await viewer.press('\u0017');
		expect(store(viewer).filterText).toBe('xretry ');
		await viewer.press('\u001Bb', 'z', '\u001Bf', '!');
		expect(store(viewer).filterText).toBe('zxretry! ');
		await viewer.press(keys.left, keys.left, '\u000B');
		expect(store(viewer).filterText).toBe('zxretr');
		await viewer.press('\u0015');
		expect(store(viewer).filterText).toBe('');
		const picker = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		await picker.press('o', 'task/fetch', '\u0017', 'load', '\u0001', 'x');
		expect(await picker.screen()).toContain('> xload');
		expect(await picker.press('\u0015', 'fetch')).toContain('> fetch');
	});

	it('walks back through earlier filters with ↑ and comes back to the typed line with ↓', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/', 'timeout', keys.enter);
		await viewer.press('/', keys.escape);
		await viewer.press('/', 'conn', keys.enter);
		await viewer.press('/');
		await viewer.press('\u0015', 'ret');
		await viewer.press(keys.up);
		expect(store(viewer).filterText).toBe('conn');
		await viewer.press(keys.up);
		expect(store(viewer).filterText).toBe('timeout');
		await viewer.press(keys.down, keys.down);
		expect(store(viewer).filterText).toBe('ret');
	});

	it('takes a bracketed paste as text: its line break does not submit', async () => {
		const viewer = await viewerWithLines();
		await viewer.press('/');
		await viewer.burst('\u001B[200~', 'connect\nok', '\u001B[201~');
		expect(store(viewer).filterText).toBe('connect ok');
		expect(await viewer.screen()).toMatch(/^\/ connect ok/m);
	});
});

describe('the source picker', () => {
	it('opens a well-formed source as typed: a pinned run keeps its pin, an unknown name is not the top fuzzy hit', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		expect(await viewer.press('o', 'task/fetch-orders?run=r-1', keys.enter)).toMatch(/▶2 task\/fetch-orders\?run=r-1/);
		expect(await viewer.press('o', 'automation/nope', keys.enter)).toMatch(/▶3 automation\/nope/);
	});

	it('finds subsequences as fzf does, and a moved selection wins', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 16, loadSources: catalog});
		expect(await viewer.press('o', 'ftchordr')).toContain('▶ task/fetch-orders');
		expect(await viewer.press(keys.escape, 'o', 'task/', keys.down, keys.enter)).toMatch(/▶2 task\//);
	});
});
