import {describe, expect, test} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {char, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

/*
 * `g` and `G` under a filter after `T` (and `N`) replaced the window, over a real `dbtail serve` on both
 * stores: a run of 40,000 lines, one every 100 ms, ERROR when n % 997 == 0, WARN when n % 101 == 0, line
 * 123 the only "needle", held 1,000 at a time (the key sequence seen in tmux on automation/big).
 */

const RUN = 40_000;
const BATCH = 10_000;
const T0 = Date.parse('2026-12-05T20:00:00Z');
const level = (n: number) => (n % 997 === 0 ? 'ERROR' : n % 101 === 0 ? 'WARN' : 'INFO');
const message = (n: number) => (n === 123 ? 'needle timeout at start' : `line ${n} of the big run`);
const lineOf = (text: string) => (text.startsWith('needle') ? 123 : Number(text.split(' ')[1]));
const typed = (value: string): ViewerKey[] => Array.from(value, (each) => char(each));
const shell = {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})};
const settled = async (pane: Pane) => until(() => !pane.pager.busy, 'the read to land');

/** The lines the pane shows through the whole window, by number, in order. */
function shownLines(pane: Pane): number[] {
	const {index, window} = pane.store;
	return Array.from({length: index.shown.length}, (_, rank) => lineOf(window.get(index.shown.at(rank)!)!.message));
}

const backends = await storeBackends();

describe.each(backends)('g and G under a filter after T replaced the window, over a real server on $name', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	async function paneOnBig() {
		const server = await fixture().start();
		const lines = (from: number) =>
			Array.from({length: BATCH}, (_, index) => {
				const n = from + index;
				return {level: level(n), message: message(n), timestamp: new Date(T0 + n * 100).toISOString(), taskId: n % 3 === 0 ? 'load' : 'extract'};
			});
		const {runId} = await ingest(server.url, undefined, {automationId: 'big'}, lines(1));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from));
		}

		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 1000}), server: server.url, scrollback: 1000});
		workspace.resize({columns: 120, rows: 30});
		workspace.open('automation/big');
		const pane = workspace.focused!;
		const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
		await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
		return {workspace, pane, viewer};
	}

	const cursor = (pane: Pane) => lineOf(pane.store.cursorLine()!.message);
	const firstErrors = [997, 1994, 2991, 3988];

	async function timeJump(viewer: ViewerState, pane: Pane): Promise<void> {
		viewer.feed([char('T'), ...typed('2026-12-05T21:00:00Z'), named('enter')]);
		await until(() => !pane.pager.busy && pane.store.cursorLine()?.message === 'line 36000 of the big run', 'T on line 36,000');
	}

	async function filterErrors(viewer: ViewerState, pane: Pane): Promise<void> {
		viewer.feed([char('/'), ...typed('ERROR'), named('enter')]);
		await pane.store.indexed();
		await settled(pane);
	}

	/** The keys after the filter, as pressed in tmux: g, k, G, g. */
	async function topAndBottom(viewer: ViewerState, pane: Pane): Promise<void> {
		// g: the run's first ERROR lines, read as a filtered extract (nothing happened: the run's line 1 was held above a hole).
		viewer.feed([char('g')]);
		await settled(pane);
		expect(pane.pager.error).toBeUndefined();
		expect(cursor(pane)).toBe(997);
		expect(shownLines(pane).slice(0, 4)).toEqual(firstErrors);
		// k at the first line that passes: nothing above it to read.
		viewer.feed([char('k')]);
		await settled(pane);
		expect(cursor(pane)).toBe(997);
		// G: the newest ERROR line, on screen.
		viewer.feed([char('G')]);
		await settled(pane);
		expect(pane.pager.error).toBeUndefined();
		expect(cursor(pane)).toBe(39_880);
		expect(pane.store.snapshot(Date.now()).rows.map((row) => row.text)).toContain('[extract] line 39880 of the big run');
		viewer.feed([char('g')]);
		await settled(pane);
		expect(cursor(pane)).toBe(997);
	}

	/** `s needle` Enter and N: pressed together, N supersedes Enter's search (it lands line 123 above a hole); else after it wrapped. */
	async function searchNeedle(viewer: ViewerState, pane: Pane, together = true): Promise<void> {
		const onNeedle = () => !pane.pager.busy && pane.store.cursorLine()?.message.startsWith('needle') === true;
		viewer.feed([char('s'), ...typed('needle'), named('enter')]);
		if (!together) {
			await until(onNeedle, 'the search gone round to the needle line');
		}

		viewer.feed([char('N')]);
		await until(onNeedle, 'N on the needle line');
		viewer.feed([named('escape')]);
	}

	it('T, s needle, N, Esc, /ERROR: g reads the run\'s first ERROR lines, G the newest', async () => {
		const {workspace, pane, viewer} = await paneOnBig();
		try {
			await timeJump(viewer, pane);
			await searchNeedle(viewer, pane);
			await filterErrors(viewer, pane);
			// N's landing (lines 1-373) is held above a hole, and no ERROR line is in it: the T window's one shows.
			expect(pane.store.window.earlierLines()).toBe(0);
			expect(shownLines(pane)).toEqual([35_892]);
			await topAndBottom(viewer, pane);
		} finally {
			workspace.dispose();
		}
	}, 120_000);

	it('T, /ERROR: g reads the run\'s first ERROR lines, G the newest (the window held no line 1)', async () => {
		const {workspace, pane, viewer} = await paneOnBig();
		try {
			await timeJump(viewer, pane);
			await filterErrors(viewer, pane);
			await topAndBottom(viewer, pane);
		} finally {
			workspace.dispose();
		}
	}, 120_000);

	it('T, s needle Enter (gone round to line 123), N, Esc, /ERROR: nothing held passes; g reads the run\'s first ERROR lines, G the newest', async () => {
		const {workspace, pane, viewer} = await paneOnBig();
		try {
			await timeJump(viewer, pane);
			await searchNeedle(viewer, pane, false);
			await filterErrors(viewer, pane);
			expect(pane.store.window.earlierLines()).toBe(0);
			expect(shownLines(pane)).toEqual([]);
			await topAndBottom(viewer, pane);
		} finally {
			workspace.dispose();
		}
	}, 120_000);

	it('T, s needle, N, Esc, /ERROR, k: the ERROR lines above the hole are read under the filter, not one unfiltered page', async () => {
		const {workspace, pane, viewer} = await paneOnBig();
		try {
			await timeJump(viewer, pane);
			await searchNeedle(viewer, pane);
			await filterErrors(viewer, pane);
			viewer.feed([char('k')]);
			await settled(pane);
			expect(pane.pager.error).toBeUndefined();
			// Every ERROR line of the run up to the cursor's, read in one filtered page (the lines above the hole given up).
			expect(shownLines(pane)).toEqual(Array.from({length: 36}, (_, index) => (index + 1) * 997));
			viewer.feed([char('k')]);
			expect(cursor(pane)).toBe(34_895);
			viewer.feed([char('g')]);
			await settled(pane);
			expect(cursor(pane)).toBe(997);
		} finally {
			workspace.dispose();
		}
	}, 120_000);
});
