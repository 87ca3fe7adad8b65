import {describe, expect, test} from 'vitest';
import type {HistoryPage, HistoryReader} from '../../source/client/history.js';
import {logStreamFactory} from '../../source/commands/viewer.js';
import type {Pane, PaneFeed, StreamFactory} from '../../source/model/pane.js';
import {char, named, type ViewerKey} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import {ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {storeBackends, useServerFixture} from '../server/server-fixture.js';

/*
 * A filtered pane over a real `dbtail serve` on both stores reads filtered pages (issue 17): a run of
 * 100,000 lines, one in 997 a needle, held 1,000 at a time; `/needle` and scrolling up to line 1 reads the
 * needles, not the run.
 */

const RUN = 100_000;
const BATCH = 10_000;
const NEEDLE = 997;
const text = (n: number) => (n % NEEDLE === 0 ? `needle ${n}` : `line ${n}`);
const typed = (value: string): ViewerKey[] => Array.from(value, (each) => char(each));
const shell = {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})};
const settled = async (pane: Pane) => until(() => !pane.pager.busy, 'the read to land');

/** The pane's history, counting the requests made and the records they brought. */
function counting(factory: StreamFactory, counts: {requests: number; records: number; unfiltered: number}): StreamFactory {
	return (source) => {
		const feed = factory(source) as PaneFeed;
		const history = feed.history!;
		const count = (page: HistoryPage, grep: boolean) => {
			counts.requests++;
			counts.records += page.records.length;
			counts.unfiltered += grep ? 0 : page.records.length;
			return page;
		};

		const reader: HistoryReader = {
			before: async (id, limit, query) => count(await history.before(id, limit, query), query?.grep !== undefined),
			after: async (id, limit, query) => count(await history.after(id, limit, query), query?.grep !== undefined),
			firstOfRun: async (runId, limit) => count(await history.firstOfRun!(runId, limit), false),
		};
		return {stream: feed.stream, history: reader};
	};
}

/** The messages the pane shows, in order, through the whole window (not only the screen). */
function shownMessages(pane: Pane): string[] {
	const {index, window} = pane.store;
	return Array.from({length: index.shown.length}, (_, rank) => window.get(index.shown.at(rank)!)!.message);
}

const backends = await storeBackends();

describe.each(backends)('a filtered pane over a real server on $name reads filtered pages', (backend) => {
	const fixture = useServerFixture(backend);
	const it = backend.skip ? test.skip : test;

	it('scrolling up to line 1 under /needle reads the needles, not the run; they show in order, once; clearing the filter keeps the cursor line', async () => {
		const server = await fixture().start();
		const lines = (from: number) => Array.from({length: BATCH}, (_, index) => text(from + index));
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines(1));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from));
		}

		const counts = {requests: 0, records: 0, unfiltered: 0};
		const factory = counting(logStreamFactory({server: server.url, scrollback: 1000}), counts);
		const workspace = new Workspace({factory, server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: 12});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
		try {
			await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
			viewer.feed([char('/'), ...typed('needle'), named('enter')]);
			await pane.store.indexed();
			for (let step = 0; step < 200 && pane.store.window.earlierLines() !== 0; step++) {
				viewer.feed([char('b')]);
				await settled(pane);
				expect(pane.pager.error).toBeUndefined();
			}

			expect(pane.store.window.earlierLines()).toBe(0);
			// Every needle of the run, in order, once: those read under the filter and those of the tail held.
			const needles = Array.from({length: Math.floor(RUN / NEEDLE)}, (_, index) => `needle ${(index + 1) * NEEDLE}`);
			expect(shownMessages(pane)).toEqual(needles);
			// Unfiltered, the same walk reads 99,000 records; filtered, the needles and a few requests.
			expect(counts.unfiltered).toBe(0);
			expect(counts.records).toBeLessThan(needles.length);
			expect(counts.requests).toBeLessThan(20);

			// The cursor on a needle read under the filter; the filter cleared: the same line, its run around it.
			viewer.feed([char('g')]);
			await settled(pane);
			const cursor = pane.store.cursorLine()!.message;
			expect(cursor).toBe(`needle ${NEEDLE}`);
			viewer.feed([char('/'), named('escape')]);
			await settled(pane);
			expect(pane.store.filterText).toBe('');
			expect(pane.store.cursorLine()?.message).toBe(cursor);
			const held = shownMessages(pane);
			const at = held.indexOf(cursor);
			expect(held.slice(at - 3, at + 4)).toEqual([NEEDLE - 3, NEEDLE - 2, NEEDLE - 1, NEEDLE, NEEDLE + 1, NEEDLE + 2, NEEDLE + 3].map((n) => text(n)));
			// Nothing read under the filter is left: no needle is held that its neighbours are not.
			expect(held.every((message, index) => index === 0 || Number(message.split(' ')[1]) === Number(held[index - 1]!.split(' ')[1]) + 1)).toBe(true);
		} finally {
			workspace.dispose();
		}
	}, 120_000);
	it('a filter that passes more than the window holds: k walks up through every match to line 1 and j back down to live, in order, once, from a few filtered reads', async () => {
		const server = await fixture().start();
		const dense = (n: number) => (n % 97 === 0 ? `needle ${n}` : `line ${n}`);
		const lines = (from: number) => Array.from({length: BATCH}, (_, index) => dense(from + index));
		const {runId} = await ingest(server.url, undefined, {automationId: 'etl'}, lines(1));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from));
		}

		const counts = {requests: 0, records: 0, unfiltered: 0};
		const workspace = new Workspace({factory: counting(logStreamFactory({server: server.url, scrollback: 1000}), counts), server: server.url, scrollback: 1000});
		workspace.resize({columns: 100, rows: 12});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		const viewer = new ViewerState({workspace, loadSources: async () => [], shell});
		const cursor = () => Number(pane.store.cursorLine()!.message.split(' ')[1]);
		try {
			await until(() => pane.store.window.size === 1000 && pane.connection.kind === 'live', 'the tail of the run, live');
			viewer.feed([char('/'), ...typed('needle'), named('enter')]);
			await pane.store.indexed();
			const up: number[] = [];
			for (let step = 0; step < 2000 && up.at(-1) !== 97; step++) {
				viewer.feed([char('k')]);
				await settled(pane);
				up.push(cursor());
			}

			// 1,030 needles: from where the first k put the cursor (near the newest), every one passed under it, going up.
			expect(up[0]).toBeGreaterThan(99_000);
			expect(up).toEqual(Array.from({length: up[0]! / 97}, (_, index) => up[0]! - index * 97));
			const down: number[] = [];
			for (let step = 0; step < 2000 && !pane.store.following; step++) {
				viewer.feed([char('j')]);
				await settled(pane);
				down.push(cursor());
			}

			expect(pane.store.following).toBe(true);
			// Down again to the newest needle (99,910), every one once, in order, and on to live.
			expect(down.slice(0, down.indexOf(99_910) + 1)).toEqual(Array.from({length: 1029}, (_, index) => (index + 2) * 97));
			expect(counts.unfiltered).toBe(0);
			// Half a window a read, up and down again: about 1,030 × 2 records, not 200,000.
			expect(counts.records).toBeLessThan(3000);
			expect(counts.requests).toBeLessThan(12);

			// Cleared while following: the lines read under the filter go, and the newest page is read again.
			viewer.feed([char('/'), named('escape')]);
			await settled(pane);
			expect(pane.store.following).toBe(true);
			expect(pane.store.window.liveHeld).toBe(true);
			expect(pane.store.window.heldRange()).toMatchObject({to: RUN});
			const held = shownMessages(pane).map((message) => Number(message.split(' ')[1]));
			expect(held.every((n, index) => index === 0 || n === held[index - 1]! + 1)).toBe(true);
		} finally {
			workspace.dispose();
		}
	}, 120_000);
});
