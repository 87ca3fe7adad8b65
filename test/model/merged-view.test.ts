import {describe, expect, it} from 'vitest';
import {MergedIndex} from '../../source/model/merged-index.js';
import {MergedView, type MergedPane} from '../../source/model/merged-view.js';
import {PaneStore} from '../../source/model/pane-store.js';
import type {Level} from '../../source/protocol/levels.js';

const start = Date.parse('2026-11-22T10:00:00.000Z');
const now = start + 3_600_000;
let nextId = 1;

/** A line logged `second` seconds after start. */
function add(store: PaneStore, second: number, message: string, level: Level = 'INFO'): void {
	const id = nextId++;
	store.append({id: String(id), seq: id, runId: 'r-1', timestamp: new Date(start + second * 1000).toISOString(), level, message});
}

function panes(count: number, scrollback = 1000): {stores: PaneStore[]; list: MergedPane[]} {
	const stores = Array.from({length: count}, () => new PaneStore({scrollback, clock: () => now}));
	return {stores, list: stores.map((store, index) => ({id: index + 10, number: index + 1, window: store.window}))};
}

function viewOf(list: MergedPane[], rows = 5): MergedView {
	const view = new MergedView(() => list, {timestamps: () => 'none', clock: () => now});
	view.resize({rows, width: 60});
	return view;
}

const shown = (view: MergedView) => view.snapshot(now).rows.map(({pane, row}) => `${pane} ${row.text}`);

describe('MergedIndex', () => {
	it('shows a record two panes of one server hold (an automation and its task) once, incrementally and on a rebuild', () => {
		const {stores, list} = panes(2);
		const shared = list.map((pane) => ({...pane, shared: true}));
		const both = (second: number, message: string) => {
			const id = nextId++;
			for (const store of stores) {
				store.append({id: String(id), seq: id, runId: 'r-1', timestamp: new Date(start + second * 1000).toISOString(), level: 'INFO', message});
			}
		};

		both(1, 'task line');
		add(stores[0]!, 1, 'automation only');
		const index = new MergedIndex();
		index.sync(shared);
		expect(index.length).toBe(2);
		// Live: the record comes through both panes in one sync, and in two.
		both(2, 'second');
		index.sync(shared);
		expect(index.length).toBe(3);
		const id = nextId++;
		const line = {id: String(id), seq: id, runId: 'r-1', timestamp: new Date(start + 3000).toISOString(), level: 'INFO' as const, message: 'third'};
		stores[1]!.append(line);
		index.sync(shared);
		stores[0]!.append(line);
		index.sync(shared);
		expect(index.length).toBe(4);
		// A new predicate rebuilds from the windows: still once each.
		index.setPredicate(() => true);
		index.sync(shared);
		expect(index.length).toBe(4);
		// Panes of other sources (URLs: their ids are not one server's) are not merged into one.
		const apart = new MergedIndex();
		apart.sync(list);
		expect(apart.length).toBe(7);
	});

	it('orders the lines of several windows by time, then pane, then position', () => {
		const {stores, list} = panes(2);
		add(stores[0]!, 1, 'a1');
		add(stores[1]!, 2, 'b2');
		add(stores[0]!, 3, 'a3');
		add(stores[1]!, 3, 'b3');
		const index = new MergedIndex();
		index.sync(list);
		const places = Array.from({length: index.length}, (_, rank) => index.at(rank));
		expect(places).toEqual([
			{source: 0, position: 0},
			{source: 1, position: 0},
			{source: 0, position: 1},
			{source: 1, position: 1},
		]);
	});

	it('places a late line by time with a binary search, and drops lines their window evicted', () => {
		const {stores, list} = panes(2, 3);
		const index = new MergedIndex();
		for (let second = 1; second <= 3; second++) {
			add(stores[0]!, second * 10, `a${second}`);
		}

		index.sync(list);
		// The slower stream's line comes after lines newer than it.
		add(stores[1]!, 15, 'late');
		expect(index.sync(list)).toBe(false);
		expect(index.at(1)).toEqual({source: 1, position: 0});
		// Two more lines evict a10 and a20 from the first window (capacity 3).
		add(stores[0]!, 40, 'a4');
		add(stores[0]!, 50, 'a5');
		index.sync(list);
		expect(index.length).toBe(4);
		expect(Array.from({length: 4}, (_, rank) => stores[index.at(rank)!.source]!.window.get(index.at(rank)!.position)!.message)).toEqual(['late', 'a3', 'a4', 'a5']);
	});

	it('batches of three streams that arrive out of time order merge as a full sort would order them', () => {
		const {stores, list} = panes(3, 500);
		const index = new MergedIndex();
		let seed = 7;
		const random = () => (seed = (seed * 16_807) % 2_147_483_647) / 2_147_483_647;
		for (let round = 0; round < 60; round++) {
			for (const store of stores) {
				// A batch of a stream: its lines in time order, stamped up to 3 s before the others' newest.
				const from = round * 4 + random() * 3;
				for (let n = 0; n < 10; n++) {
					add(store, from + n / 100, `r${round}`);
				}
			}

			index.sync(list);
		}

		const ordered = Array.from({length: index.length}, (_, rank) => index.anchorAt(rank)!);
		const sorted = [...ordered].sort((a, b) => a.time - b.time || a.key - b.key);
		expect(ordered).toEqual(sorted);
		// 3 windows of 500 after 600 lines each: the lines held, none twice, the 300 evicted gone.
		expect(new Set(ordered.map((entry) => entry.key)).size).toBe(1500);
	});

	it('lines evicted out of time order are not drawn (dropped when the screen meets them)', () => {
		const {stores, list} = panes(2, 2);
		const view = viewOf(list, 10);
		add(stores[0]!, 30, 'a-newest-time-first');
		add(stores[0]!, 10, 'a-older-time');
		add(stores[1]!, 20, 'b20');
		expect(shown(view)).toEqual(['1 a-older-time', '2 b20', '1 a-newest-time-first']);
		// a30 is evicted; the bound scan (up to a10's time) cannot reach it: the screen still must not show it.
		add(stores[0]!, 40, 'a40');
		expect(shown(view)).toEqual(['1 a-older-time', '2 b20', '1 a40']);
	});
});

describe('MergedView', () => {
	it('shows the panes interleaved by time, each row marked with its pane number', () => {
		const {stores, list} = panes(2);
		const view = viewOf(list);
		add(stores[0]!, 1, 'one');
		add(stores[1]!, 2, 'two');
		add(stores[0]!, 3, 'three');
		expect(shown(view)).toEqual(['1 one', '2 two', '1 three']);
	});

	it('a late line placed above a cursor not at the live end leaves the cursor and the screen on their lines', () => {
		const {stores, list} = panes(2);
		const view = viewOf(list, 4);
		for (let second = 1; second <= 20; second++) {
			add(stores[0]!, second * 10, `a${second * 10}`);
		}

		view.snapshot(now);
		view.viewport.moveCursor(-8);
		expect(view.cursorLine()?.line.message).toBe('a120');
		const before = shown(view);
		// Five late lines from the slower pane, all older than the cursor's line, and one newer.
		for (const second of [15, 25, 35, 45, 55]) {
			add(stores[1]!, second, `b${second}`);
		}

		add(stores[1]!, 300, 'b300');
		expect(view.cursorLine()?.line.message).toBe('a120');
		expect(shown(view)).toEqual(before);
		expect(view.snapshot(now).rows.find((row) => row.row.cursor)?.row.text).toBe('a120');
		// Following, the view is at the live end: the newest line is last.
		view.viewport.followLive();
		expect(shown(view).at(-1)).toBe('2 b300');
	});

	it('filter, level floor and search are its own; n goes to the next match in any pane', () => {
		const {stores, list} = panes(2);
		const view = viewOf(list, 10);
		add(stores[0]!, 1, 'alpha start');
		add(stores[1]!, 2, 'beta warning', 'WARN');
		add(stores[0]!, 3, 'alpha boom', 'ERROR');
		add(stores[1]!, 4, 'beta done');
		expect(view.setFilter('alpha|beta')).toBeUndefined();
		expect(shown(view)).toHaveLength(4);
		view.setFilter('!beta');
		expect(shown(view)).toEqual(['1 alpha start', '1 alpha boom']);
		view.setFilter('');
		view.stepLevel(1);
		view.stepLevel(1);
		view.stepLevel(1);
		expect(shown(view)).toEqual(['2 beta warning', '1 alpha boom']);
		view.stepLevel(-1);
		view.stepLevel(-1);
		view.stepLevel(-1);
		expect(view.setFilter('(')).toBeDefined();
		expect(shown(view)).toHaveLength(4);
		// The panes' own filters are untouched.
		expect(stores[0]!.filterText).toBe('');
		view.setSearch('beta');
		expect(view.jump(-1, 'match')).toBe('found');
		expect(view.cursorLine()).toMatchObject({pane: 2, line: {message: 'beta done'}});
		expect(view.jump(-1, 'match')).toBe('found');
		expect(view.cursorLine()?.line.message).toBe('beta warning');
		expect(view.jump(-1, 'match')).toBe('wrapped');
		expect(view.jump(1, 'error')).toBe('none');
		expect(view.jump(-1, 'error')).toBe('found');
		expect(view.cursorLine()?.line.message).toBe('alpha boom');
		expect(view.snapshot(now).rows.find((row) => row.row.text === 'beta done')?.row.highlights).toEqual([[0, 4]]);
	});

	it('pause freezes the view; lines placed after the pause point are counted, not shown', () => {
		const {stores, list} = panes(2);
		const view = viewOf(list, 3);
		add(stores[0]!, 1, 'a1');
		add(stores[1]!, 2, 'b2');
		view.snapshot(now);
		view.viewport.togglePause();
		add(stores[0]!, 5, 'a5');
		add(stores[1]!, 6, 'b6');
		expect(shown(view)).toEqual(['1 a1', '2 b2']);
		expect(view.snapshot(now).newWhilePaused).toBe(2);
		view.viewport.togglePause();
		expect(shown(view)).toEqual(['2 b2', '1 a5', '2 b6']);
	});

	it('scrolls by lines and pages, g to the oldest, and G follows live again', () => {
		const {stores, list} = panes(2);
		const view = viewOf(list, 3);
		for (let second = 1; second <= 10; second++) {
			add(stores[second % 2]!, second, `l${second}`);
		}

		expect(shown(view)).toEqual(['1 l8', '2 l9', '1 l10']);
		view.viewport.top();
		expect(shown(view)).toEqual(['2 l1', '1 l2', '2 l3']);
		view.viewport.page(1);
		expect(shown(view)).toEqual(['1 l4', '2 l5', '1 l6']);
		view.viewport.moveCursor(-1);
		view.viewport.page(-1);
		expect(shown(view)).toEqual(['2 l1', '1 l2', '2 l3']);
		view.viewport.page(1);
		view.viewport.page(1);
		view.viewport.page(1);
		expect(view.viewport.following).toBe(true);
	});

	it('a frame reads only the lines on screen and the lines new since the last frame', () => {
		const {stores, list} = panes(2, 20_000);
		const view = viewOf(list, 10);
		for (let n = 0; n < 20_000; n++) {
			add(stores[n % 2]!, n / 1000, `line ${n}`);
		}

		view.snapshot(now);
		let reads = 0;
		for (const store of stores) {
			const peek = store.window.peek.bind(store.window);
			const get = store.window.get.bind(store.window);
			store.window.peek = (position) => {
				reads++;
				return peek(position);
			};

			store.window.get = (position) => {
				reads++;
				return get(position);
			};
		}

		add(stores[1]!, 5, 'late');
		view.snapshot(now);
		expect(reads).toBeLessThan(60);
	});
});
