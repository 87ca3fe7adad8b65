import {describe, expect, test} from 'vitest';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane} from '../../source/model/pane.js';
import {char, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';
import {memoryWorkspace} from '../ui/memory-stream.js';

/*
 * The pager's goTo and `T` over a real `dbtail serve` on both stores: a run of 20,000 lines, one a second,
 * held 1,000 at a time; the pane goes to a time or an id anywhere in the run, the lines before it read too.
 */

const RUN = 20_000;
const BATCH = 10_000;
/** Line n is logged at 06:00 local time plus n seconds: the whole run is on one local day. */
const BASE = new Date(2026, 10, 20, 6, 0, 0).getTime();
const timeOf = (n: number) => new Date(BASE + n * 1000).toISOString();

const cursorLine = (pane: Pane) => pane.store.cursorLine()?.message;
const typed = (text: string): ViewerKey[] => Array.from(text, (each) => char(each));
const shell = {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})};

const backends = await storeBackends();

describe.each(backends)('goTo and T over a real server on $name', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	async function paneOnRun() {
		const server = await fixture().start();
		const lines = (from: number) => Array.from({length: BATCH}, (_, index) => ({level: 'INFO', message: `line ${from + index}`, timestamp: timeOf(from + index)}));
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines(1));
		await ingest(server.url, undefined, runId, lines(BATCH + 1));
		const workspace = new Workspace({factory: logStreamFactory({server: server.url, scrollback: 1000}), server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: 32});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
		return {server, runId, workspace, pane};
	}

	it('goes to the first line at or after a time or an id anywhere in the run, the lines above it held too; a time after the newest stays', async () => {
		const {server, runId, workspace, pane} = await paneOnRun();
		try {
			expect(await pane.pager.goTo({time: timeOf(5000)})).toEqual({kind: 'landed', seq: 5000, timestamp: timeOf(5000)});
			expect(cursorLine(pane)).toBe('line 5000');
			expect(pane.store.following).toBe(false);
			// Half a page (250 lines: a page is at most half the window) on each side.
			expect(pane.store.window.heldRange()).toEqual({from: 4750, to: 5250, of: RUN});
			// Context above: the cursor sits a third down the screen, lines before it on screen.
			const rows = pane.store.snapshot(Date.now()).rows.map((row) => row.text);
			expect(rows.findIndex((row) => row.endsWith('line 5000'))).toBeGreaterThan(5);

			// Between two lines: the next one; one already held: no read.
			expect(await pane.pager.goTo({time: new Date(BASE + 7000.5 * 1000).toISOString()})).toMatchObject({kind: 'landed', seq: 7001});
			expect(cursorLine(pane)).toBe('line 7001');
			expect(await pane.pager.goTo({time: timeOf(7100)})).toMatchObject({kind: 'landed', seq: 7100});
			expect(cursorLine(pane)).toBe('line 7100');

			// After the newest line: nothing, and the view stays where it was.
			expect(await pane.pager.goTo({time: timeOf(RUN + 60)})).toEqual({kind: 'none'});
			expect(cursorLine(pane)).toBe('line 7100');

			// An id near the start: the run's first line is held, and known to be the first.
			expect(await pane.pager.goTo({id: '12'})).toMatchObject({kind: 'landed', seq: 12});
			expect(cursorLine(pane)).toBe('line 12');
			expect(pane.store.window.earlierLines()).toBe(0);
			expect(pane.pager.error).toBeUndefined();

			// G comes back to live from there, a line logged meanwhile included.
			await ingest(server.url, undefined, runId, [{level: 'INFO', message: `line ${RUN + 1}`, timestamp: timeOf(RUN + 1)}]);
			pane.store.followLive();
			await until(() => pane.store.following && cursorLine(pane) === `line ${RUN + 1}`, 'live again');
		} finally {
			workspace.dispose();
		}
	}, 60_000);

	it('under a filter, lands on the first line shown at or after the time', async () => {
		const {workspace, pane} = await paneOnRun();
		try {
			pane.store.setFilter('9$');
			await pane.store.indexed();
			expect(await pane.pager.goTo({time: timeOf(5000)})).toMatchObject({kind: 'landed', seq: 5000});
			expect(cursorLine(pane)).toBe('line 5009');
		} finally {
			workspace.dispose();
		}
	}, 60_000);

	it('a key that moves the view, or G, while the read is under way cancels the move; the pane stays where the keys put it', async () => {
		const {workspace, pane} = await paneOnRun();
		try {
			const going = pane.pager.goTo({time: timeOf(3000)});
			expect(pane.pager.activity).toBe('loading…');
			pane.store.scroll(-3);
			const there = cursorLine(pane);
			expect(await going).toEqual({kind: 'dropped'});
			expect(cursorLine(pane)).toBe(there);
			expect(there).toBe(`line ${RUN - 3}`);

			const again = pane.pager.goTo({time: timeOf(3000)});
			pane.store.followLive();
			expect(await again).toEqual({kind: 'dropped'});
			expect(pane.store.following).toBe(true);
			expect(pane.pager.busy).toBe(false);
		} finally {
			workspace.dispose();
		}
	}, 60_000);

	it('T reads a local clock time on the cursor line\'s day, says where it went, and keeps the prompt open on a time that is not one', async () => {
		const {workspace, pane} = await paneOnRun();
		const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
		try {
			// 07:23:20 local is line 5,000 (06:00 and 5,000 seconds).
			viewer.feed([char('T'), ...typed('07:23:20'), named('enter')]);
			expect(viewer.mode).toBe('normal');
			await until(() => workspace.message?.text === '2026-11-20 07:23:20 → line 5,000', 'where it went, said');
			expect(cursorLine(pane)).toBe('line 5000');

			viewer.feed([char('T'), ...typed('7:60'), named('enter')]);
			expect(viewer.mode).toBe('time');
			expect(viewer.prompt!.error).toBe('not a time: "7:60" (use 14:05, 14:05:30, -10m, -2h or an ISO time)');
			// Fixed, it goes; ↑ brings back a time typed before.
			viewer.feed([named('backspace'), named('backspace'), ...typed('00:01'), named('enter')]);
			await until(() => workspace.message?.text === '2026-11-20 07:00:01 → line 3,601', 'the second jump, said');
			expect(cursorLine(pane)).toBe('line 3601');
			viewer.feed([char('T'), named('up')]);
			expect(viewer.prompt!.editor.text).toBe('7:00:01');
			viewer.feed([named('escape')]);
			expect(viewer.mode).toBe('normal');

			viewer.feed([char('T'), ...typed('23:59'), named('enter')]);
			await until(() => workspace.message?.text === 'no line at or after 2026-11-20 23:59:00', 'that nothing is after it');
			expect(workspace.message?.error).toBe(true);
			expect(cursorLine(pane)).toBe('line 3601');
		} finally {
			workspace.dispose();
		}
	}, 60_000);
});

describe('T on a pane with no history (a URL source) looks only at the lines held', () => {
	test('lands on the first held line at or after the time, says when the time is older than them all, and stays when none is after it', async () => {
		const {workspace, stream} = memoryWorkspace();
		workspace.resize({columns: 100, rows: 20});
		workspace.open('https://example.test/events');
		const pane = workspace.focused!;
		for (let n = 1; n <= 50; n++) {
			stream('https://example.test/events').log(`line ${n}`, 'INFO', {id: undefined, seq: undefined, timestamp: timeOf(n)});
		}

		expect(pane.history).toBeUndefined();
		expect(await pane.pager.goTo({time: timeOf(20)})).toEqual({kind: 'landed', timestamp: timeOf(20)});
		expect(cursorLine(pane)).toBe('line 20');
		expect(await pane.pager.goTo({time: timeOf(-5)})).toEqual({kind: 'landed', timestamp: timeOf(1), older: true});
		expect(cursorLine(pane)).toBe('line 1');
		expect(await pane.pager.goTo({time: timeOf(60)})).toEqual({kind: 'none'});
		expect(cursorLine(pane)).toBe('line 1');

		const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
		viewer.feed([char('T'), ...typed('05:59'), named('enter')]);
		await until(() => workspace.message !== undefined, 'what T found');
		expect(workspace.message?.text).toBe('2026-11-20 05:59:00 is older than the lines held: the oldest, at 2026-11-20 06:00:01');
		workspace.dispose();
	});
});
