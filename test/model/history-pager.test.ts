import {describe, expect, it} from 'vitest';
import type {Pane} from '../../source/model/pane.js';
import {char} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {Workspace} from '../../source/model/workspace.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {runPlace, statusItems} from '../../source/ui/status-items.js';
import {MemoryStream} from '../ui/memory-stream.js';
import {until} from '../helpers/until.js';
import {MemoryHistory} from './memory-history.js';

/** A pane of 5 text rows holding `scrollback` lines, over a stream whose every record the history keeps. */
function openPane(scrollback: number, withHistory = true): {pane: Pane; stream: MemoryStream; history: MemoryHistory; workspace: Workspace} {
	const stream = new MemoryStream('automation/etl');
	const history = new MemoryHistory();
	// The store keeps a record before the stream sends it: the history has every record the pane hears.
	stream.prependListener('record', (record: LogRecord) => {
		history.records.push(record);
	});
	const workspace = new Workspace({factory: () => (withHistory ? {stream, history} : stream), scrollback, server: 'http://127.0.0.1:1'});
	workspace.resize({columns: 80, rows: 7});
	workspace.open('automation/etl');
	const pane = workspace.focused!;
	pane.store.setTimestamps('none');
	return {pane, stream, history, workspace};
}

function produce(stream: MemoryStream, count: number, message = (seq: number) => `line ${seq}`): void {
	for (let index = 0; index < count; index++) {
		stream.log(message(stream.stats.records + 1));
	}
}

const texts = (pane: Pane) => pane.store.snapshot(Date.now()).rows.map((row) => row.text);
const cursorSeq = (pane: Pane) => pane.store.window.seqAt(pane.store.view.cursorPosition()!)!;
const settled = async (pane: Pane) => until(() => !pane.pager.busy, 'the read to land');

/** The seqs the window holds, oldest first. */
function heldSeqs(pane: Pane): number[] {
	const {window} = pane.store;
	const seqs: number[] = [];
	for (let position = window.first; position < window.end; position++) {
		seqs.push(window.seqAt(position)!);
	}

	return seqs;
}

const consecutive = (seqs: number[], from: number, to: number) => expect(seqs).toEqual(Array.from({length: to - from + 1}, (_, index) => from + index));

describe('a pane that scrolls back past what it holds, reading its history', () => {
	it('g reads the run\'s first page; scrolling down crosses the hole in order and comes back to live, with the lines logged meanwhile, none lost or doubled', async () => {
		const {pane, stream, history, workspace} = openPane(20);
		produce(stream, 100);
		expect(pane.store.window.heldRange()).toEqual({from: 81, to: 100, of: 100});
		// Lines pushed out are not lost where the history holds them: the status bar does not say they are.
		expect(statusItems(workspace, Date.now()).map((item) => item.text).join(' · ')).not.toContain('dropped');

		pane.store.top();
		expect(pane.pager.activity).toBe('loading…');
		await settled(pane);
		expect(texts(pane)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
		expect(runPlace(pane)).toBe('line 1 of 100');
		// The scope's first page, and the oldest line held read again to learn its run: the same, so that page is it.
		expect(history.reads).toEqual(['after 0', 'after 80']);
		// The first page (10, half the window) and what was held of the tail, with a hole between.
		expect(heldSeqs(pane)).toEqual([...Array.from({length: 10}, (_, index) => index + 1), ...Array.from({length: 10}, (_, index) => index + 81)]);

		const visited = [cursorSeq(pane)];
		for (let step = 0; step < 400 && !pane.store.following; step++) {
			pane.store.scroll(1);
			// Lines go on being logged while the pane is away from the live end.
			if (step % 9 === 0) {
				produce(stream, 1);
			}

			await settled(pane);
			if (!pane.store.following) {
				visited.push(cursorSeq(pane));
			}
		}

		expect(pane.store.following).toBe(true);
		expect(pane.store.window.liveHeld).toBe(true);
		const newest = stream.stats.records;
		expect(newest).toBeGreaterThan(100);
		// Every line from 1 to the one before the newest passed under the cursor once, in order.
		consecutive(visited, 1, newest - 1);
		consecutive(heldSeqs(pane), newest - 19, newest);
		// Live again: the next line is held.
		produce(stream, 1);
		consecutive(heldSeqs(pane), newest - 18, newest + 1);
		expect(pane.store.window.size).toBe(20);
	});

	it('after G left a hole, scrolling up from live crosses it in order and reaches line 1, every line once', async () => {
		const {pane, stream} = openPane(20);
		produce(stream, 100);
		pane.store.top();
		await settled(pane);
		pane.store.page(1);
		await settled(pane);
		pane.store.followLive();
		await settled(pane);
		// Lines 1-15 or so, a hole, and the newest page.
		expect(pane.store.window.holeAfter(pane.store.window.first)).toBeDefined();
		const visited: number[] = [];
		for (let step = 0; step < 400 && visited.at(-1) !== 1; step++) {
			pane.store.scroll(-1);
			await settled(pane);
			visited.push(cursorSeq(pane));
		}

		expect(visited).toEqual(Array.from({length: 99}, (_, index) => 99 - index));
	});

	it('g in a pane over every run of an entity goes to the first line of the held run, found in a few one-line reads', async () => {
		const {pane, stream, history} = openPane(20);
		for (let seq = 1; seq <= 300; seq++) {
			history.records.push({id: String(seq), seq, runId: 'r-0', timestamp: new Date().toISOString(), level: 'INFO', message: `earlier run ${seq}`});
		}

		for (let seq = 1; seq <= 100; seq++) {
			stream.log(`line ${seq}`, 'INFO', {id: String(300 + seq), seq});
		}

		pane.store.top();
		await settled(pane);
		expect(texts(pane)).toEqual(['line 1', 'line 2', 'line 3', 'line 4', 'line 5']);
		expect(runPlace(pane)).toBe('line 1 of 100');
		expect(history.reads.length).toBeLessThanOrEqual(12);
	});

	it('k near the oldest line held reads the page before it while keys go on landing, one read at a time', async () => {
		const {pane, stream, history, workspace} = openPane(20);
		produce(stream, 100);
		const open = history.hold();
		pane.store.scroll(-1);
		expect(history.reads).toEqual([]);
		pane.store.scroll(-13);
		expect(pane.pager.busy).toBe(true);
		expect(pane.pager.activity).toBe('loading…');
		// Keys land while the page is on its way, and ask for nothing more.
		const before = cursorSeq(pane);
		pane.store.scroll(-1);
		pane.store.scroll(-1);
		expect(cursorSeq(pane)).toBe(before - 2);
		expect(history.reads).toEqual(['before 81']);
		open();
		await settled(pane);
		expect(pane.store.window.heldRange()).toEqual({from: 71, to: 90, of: 100});
		expect(cursorSeq(pane)).toBe(before - 2);
		expect(statusItems(workspace, Date.now()).map((item) => item.text)).toContain(`line ${before - 2} of 100`);
	});

	it('a read that fails is said in the status bar, the pane stays usable, and the next read clears it', async () => {
		const {pane, stream, history, workspace} = openPane(20);
		produce(stream, 100);
		history.failure = 'cannot reach http://127.0.0.1:1 for history (ECONNREFUSED)';
		pane.store.scroll(-19);
		await settled(pane);
		const said = statusItems(workspace, Date.now());
		expect(said).toContainEqual({text: 'history: cannot reach http://127.0.0.1:1 for history (ECONNREFUSED)', short: 'history failed (ECONNREFUSED)', color: 'red'});
		expect(pane.store.window.heldRange()).toEqual({from: 81, to: 100, of: 100});
		pane.store.scroll(1);
		expect(cursorSeq(pane)).toBe(82);
		await settled(pane);
		history.failure = undefined;
		pane.store.scroll(-1);
		await settled(pane);
		expect(pane.pager.error).toBeUndefined();
		expect(pane.store.window.heldRange()!.from).toBe(71);
	});

	it('G where the live end was given up reads the newest page and follows: lines logged during the read are held, once', async () => {
		const {pane, stream, history} = openPane(20);
		produce(stream, 100);
		pane.store.top();
		await settled(pane);
		produce(stream, 3);
		expect(pane.store.window.newerNotHeld).toBe(3);

		const open = history.hold();
		pane.store.followLive();
		// Logged after the server read the page: heard by the stream, not in the page.
		produce(stream, 2);
		open();
		await settled(pane);
		expect(pane.store.following).toBe(true);
		expect(pane.store.window.liveHeld).toBe(true);
		expect(heldSeqs(pane).slice(-12)).toEqual(Array.from({length: 12}, (_, index) => index + 94));
		expect(texts(pane).at(-1)).toBe('line 105');
		produce(stream, 1);
		expect(texts(pane).at(-1)).toBe('line 106');
	});

	it('a filter reads filtered pages (grep) at the oldest end, going on from where a short page stopped, a few requests a move, saying it is searching', async () => {
		const {pane, stream, history, workspace} = openPane(20);
		history.scanBudget = 100;
		produce(stream, 1000, (seq) => (seq % 150 === 0 || seq === 990 ? `needle ${seq}` : `hay ${seq}`));
		pane.store.setFilter('needle');
		pane.pager.filterChanged();
		await pane.store.indexed();
		expect(texts(pane)).toEqual(['── 980 earlier lines not held', 'needle 990']);
		const said = new Set<string | undefined>();
		workspace.subscribe(() => {
			said.add(pane.pager.activity);
		});
		for (let step = 0; step < 40 && pane.store.window.earlierLines() !== 0; step++) {
			pane.store.scroll(-1);
			await settled(pane);
		}

		// Every read asked for the filter's lines, none for the run itself; one move asked at most a few times.
		expect(history.reads.every((read) => read.endsWith(' grep needle'))).toBe(true);
		expect(history.reads.length).toBeLessThanOrEqual(12);
		expect(said).toContain('searching older lines…');
		// The lines read under the filter read as contiguous: one hole, at the seam with what was held.
		pane.store.top();
		await settled(pane);
		expect(pane.store.snapshot(Date.now()).rows.length).toBe(5);
		const shown: string[] = [];
		for (let rank = 0; rank < pane.store.shownCount; rank++) {
			shown.push(pane.store.window.get(pane.store.index.shown.at(rank)!)!.message);
		}

		expect(shown).toEqual(['needle 150', 'needle 300', 'needle 450', 'needle 600', 'needle 750', 'needle 900', 'needle 990']);
		expect(pane.store.index.holeBefore(6)).toBe(true);
		expect([1, 2, 3, 4, 5].some((rank) => pane.store.index.holeBefore(rank))).toBe(false);
	});

	it('g with a filter reads the run\'s first lines that pass, in place of the window; clearing the filter goes to the cursor\'s line in the whole run', async () => {
		const {pane, stream, history} = openPane(20);
		produce(stream, 1000, (seq) => (seq === 35 || seq === 995 ? `needle ${seq}` : `hay ${seq}`));
		pane.store.setFilter('needle');
		pane.pager.filterChanged();
		await pane.store.indexed();
		pane.store.top();
		await settled(pane);
		// The first filtered page reaches live: both lines, with no marker between them or above.
		expect(texts(pane)).toEqual(['needle 35', 'needle 995']);
		expect(history.reads).toEqual(['after 0 grep needle']);
		expect(runPlace(pane)).toBe('line 35 of 1,000');

		pane.store.setFilter('');
		pane.pager.filterChanged();
		await settled(pane);
		// The lines around the cursor's line are read: it is where it was, the run around it now whole.
		expect(cursorSeq(pane)).toBe(35);
		expect(pane.store.cursorLine()?.message).toBe('needle 35');
		consecutive(heldSeqs(pane).slice(0, 10), 30, 39);
		// What g under the filter said of the run's start went with the lines read under it.
		expect(pane.store.window.earlierLines()).toBe(29);
	});

	it('a level floor raised with + reads the lines at or above it; lowered with -, the lines read under it go and the cursor stays on its line', async () => {
		const {pane, stream, history, workspace} = openPane(20);
		for (let seq = 1; seq <= 1000; seq++) {
			stream.log(seq % 150 === 0 ? `error ${seq}` : `line ${seq}`, seq % 150 === 0 ? 'ERROR' : 'INFO');
		}

		const viewer = new ViewerState({workspace, loadSources: async () => [], shell: {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})}});
		viewer.feed([char('+'), char('+'), char('+'), char('+')]);
		expect(pane.store.levelFloor).toBe('ERROR');
		await pane.store.indexed();
		for (let step = 0; step < 20 && pane.store.window.earlierLines() !== 0; step++) {
			viewer.feed([char('k')]);
			await settled(pane);
		}

		expect(texts(pane)).toEqual(['error 150', 'error 300', 'error 450', 'error 600', 'error 750']);
		expect(history.reads).toEqual(['before 981']);
		viewer.feed([char('-')]);
		await settled(pane);
		// The cursor was on error 150, read under the floor: it is there still, the lines around it read.
		expect(pane.store.cursorLine()?.message).toBe('error 150');
		consecutive(heldSeqs(pane).slice(0, 10), 145, 154);
		expect(pane.store.levelFloor).toBe('WARN');
	});

	it('after g reached line 1, a line gone to further on is held with the lines around it and scrolling up reads on from there', async () => {
		const {pane, stream, history} = openPane(20);
		produce(stream, 100);
		pane.store.top();
		await settled(pane);
		expect(pane.store.window.earlierLines()).toBe(0);
		await pane.pager.goTo({id: '60'});
		consecutive(heldSeqs(pane), 55, 65);
		// The window in place of the one that began the run: the lines before it are there to read.
		expect(pane.store.window.earlierLines()).toBe(54);
		pane.store.scroll(-1);
		await settled(pane);
		expect(history.reads.at(-1)).toBe('before 55');
		consecutive(heldSeqs(pane), 45, 64);
	});

	it('a read that a key cancels keeps no live line after it: the seam stops listening with it', async () => {
		const {pane, stream, history} = openPane(20);
		produce(stream, 100);
		const open = history.hold();
		const going = pane.pager.goTo({id: '30'});
		expect(pane.pager.keepsLive).toBe(true);
		// G while the read is under way: its answer must not land, and what it listened for is not wanted any more.
		pane.store.followLive();
		expect(pane.pager.busy).toBe(false);
		expect(pane.pager.keepsLive).toBe(false);
		produce(stream, 50);
		open();
		expect(await going).toEqual({kind: 'dropped'});
		expect(pane.pager.keepsLive).toBe(false);
		consecutive(heldSeqs(pane), 131, 150);
	});

	it('a source with no history says in the first row that the earlier lines are not available', () => {
		const {pane, stream} = openPane(5, false);
		produce(stream, 10);
		pane.store.top();
		expect(texts(pane)[0]).toBe('── 5 earlier lines not held: not available from this source');
		expect(pane.pager.busy).toBe(false);
	});
});

describe('a line gone to before the pane has heard anything (Enter on a task in the overview)', () => {
	it('is held with the lines around it, and the live lines that come next are counted below, not joined on after them', async () => {
		const stream = new MemoryStream('automation/etl');
		const history = new MemoryHistory();
		stream.prependListener('record', (record: LogRecord) => {
			history.records.push(record);
		});
		// The run's 3,000 lines were logged before the pane opened: the history has them, the pane none yet.
		produce(stream, 3000);
		const workspace = new Workspace({factory: () => ({stream, history}), scrollback: 100, server: 'http://127.0.0.1:1'});
		workspace.resize({columns: 80, rows: 7});
		workspace.open('automation/etl');
		const pane = workspace.focused!;
		expect(pane.store.window.size).toBe(0);

		expect(await pane.pager.goTo({id: history.records[2]!.id!})).toMatchObject({kind: 'landed', seq: 3});
		expect(pane.store.window.liveHeld).toBe(false);
		const landed = heldSeqs(pane);
		consecutive(landed, 1, landed.at(-1)!);
		// The stream's first lines arrive now: far past what the window holds, they are not put after it.
		produce(stream, 150);
		expect(heldSeqs(pane)).toEqual(landed);
		expect(pane.store.window.newerNotHeld).toBe(150);
		expect(cursorSeq(pane)).toBe(3);
	});
});
