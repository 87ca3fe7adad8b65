import {describe, expect, it} from 'vitest';
import {HistoryPager} from '../../source/model/history-pager.js';
import {READS_PER_SEARCH} from '../../source/model/match-search.js';
import {PaneStore} from '../../source/model/pane-store.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {until} from '../helpers/until.js';
import {MemoryHistory} from './memory-history.js';

/*
 * n / N past what a pane holds: the store sees that lines not held lie between the cursor and the next hit,
 * the pager searches the history there (grep=, a page of matches at a time) and loads the window around
 * the match, the cursor on it, while keys go on landing; the server's counts say which match of the run it is.
 */

type Setup = {store: PaneStore; pager: HistoryPager; history: MemoryHistory; log: (message: string, level?: LogRecord['level'], runId?: string) => void};

/** A store of 5 rows holding `scrollback` lines, its pager over a history that keeps every record logged. */
function setup(scrollback: number): Setup {
	const store = new PaneStore({scrollback});
	store.resize({rows: 5, width: 80});
	store.setTimestamps('none');
	const history = new MemoryHistory();
	const pager = new HistoryPager(store, history, () => {});
	store.onMove = (move) => {
		pager.moved(move);
	};

	let seq = 0;
	const log = (message: string, level: LogRecord['level'] = 'INFO', runId = 'r-1') => {
		seq++;
		const record: LogRecord = {id: String(seq), seq, runId, timestamp: '2026-12-01T00:00:00.000Z', level, message};
		history.records.push(record);
		store.append(record);
		pager.heard(record);
	};

	return {store, pager, history, log};
}

/** 100 lines, `needle` at the seqs given. */
function produce(log: Setup['log'], needles: number[]): void {
	for (let seq = 1; seq <= 100; seq++) {
		log(needles.includes(seq) ? `needle ${seq}` : `hay ${seq}`);
	}
}

const cursorSeq = (store: PaneStore) => store.window.seqAt(store.view.cursorPosition()!)!;
const settled = async (pager: HistoryPager) => until(() => !pager.busy, 'the search to land');

describe('n / N past the lines a pane holds', () => {
	it('N past the oldest hit held searches back, loads the window around the match and says which match of the run it is', async () => {
		const {store, pager, history, log} = setup(20);
		produce(log, [10, 50, 95]);
		store.setSearch('needle');
		expect(store.jumpToMatch(-1)).toBe('found');
		expect(cursorSeq(store)).toBe(95);

		expect(store.jumpToMatch(-1)).toBe('searching');
		expect(pager.activity).toBe('searching the run…');
		await settled(pager);
		expect(cursorSeq(store)).toBe(50);
		expect(history.reads).toContain('before 81 grep needle');
		// The window (20 lines) holds the lines around the match, 5 each side, a hole between them and what was
		// held, whose newest lines made room.
		expect(store.window.heldRange()).toMatchObject({from: 45, to: 89});
		expect(store.window.holeAfter(store.window.positionOf('55')!)).toBe(store.window.positionOf('81'));
		await until(() => pager.matchPlace() !== undefined, 'the count');
		expect(pager.matchPlaceText()).toBe('match 2 of 3 in the run');

		expect(store.jumpToMatch(-1)).toBe('searching');
		await settled(pager);
		expect(cursorSeq(store)).toBe(10);
		await until(() => pager.matchPlace()?.at === 1, 'the count');
		expect(pager.matchPlaceText()).toBe('match 1 of 3 in the run');

		// Nothing before the first match of the run: round to its last match, as vim goes round, and say so.
		expect(store.jumpToMatch(-1)).toBe('searching');
		await settled(pager);
		expect(pager.error).toBe('search hit TOP of the run, continuing at BOTTOM');
		expect(cursorSeq(store)).toBe(95);
		expect(store.window.heldRange()).toEqual({from: 90, to: 100, of: 100});
		expect(store.window.liveHeld).toBe(true);
		log('needle 101');
		expect(store.window.heldRange()).toEqual({from: 90, to: 101, of: 101});
	});

	it('n across a hole left by g finds the match in the hole, not the one held beyond it', async () => {
		const {store, pager, history, log} = setup(20);
		produce(log, [3, 40, 97]);
		store.setSearch('needle');
		store.top();
		await settled(pager);
		expect(cursorSeq(store)).toBe(1);
		expect(store.jumpToMatch(1)).toBe('found');
		expect(cursorSeq(store)).toBe(3);

		history.reads.length = 0;
		expect(store.jumpToMatch(1)).toBe('searching');
		await settled(pager);
		expect(cursorSeq(store)).toBe(40);
		expect(history.reads[0]).toMatch(/^after \d+ grep needle$/);
		// From the match, the next one is past the window's end: searched again, and found.
		expect(store.jumpToMatch(1)).toBe('searching');
		await settled(pager);
		expect(cursorSeq(store)).toBe(97);
	});

	it('skips matches the pane\'s filter or level hides, and keys land while it searches', async () => {
		const {store, pager, history, log} = setup(20);
		for (let seq = 1; seq <= 100; seq++) {
			log(seq === 30 ? 'needle in a warning' : seq === 60 ? 'needle hidden' : `hay ${seq}`, seq === 30 ? 'WARN' : 'INFO');
		}

		store.setFilter('!hidden');
		store.setSearch('needle');
		store.scroll(-3);
		const open = history.hold();
		expect(store.jumpToMatch(-1)).toBe('searching');
		store.scroll(-1);
		const during = cursorSeq(store);
		open();
		await settled(pager);
		expect(during).toBeGreaterThan(80);
		expect(cursorSeq(store)).toBe(30);

		store.setLevelFloor('ERROR');
		store.setFilter('');
		store.followLive();
		await settled(pager);
		log('needle but INFO');
		history.reads.length = 0;
		// With the floor at ERROR no match shows: the history is asked with level=ERROR, and the search says so.
		store.scroll(-1);
		expect(['searching', 'none']).toContain(store.jumpToMatch(-1));
		await settled(pager);
		expect(pager.error).toBe('no match in the run');
	});

	it('G while a search is under way goes live and stays there: the search\'s answer lands nowhere', async () => {
		const {store, pager, history, log} = setup(20);
		produce(log, [10, 50]);
		store.setSearch('needle');
		const open = history.hold();
		expect(store.jumpToMatch(-1)).toBe('searching');
		store.followLive();
		open();
		await settled(pager);
		expect(store.following).toBe(true);
		expect(pager.activity).toBeUndefined();
	});

	it('a search that finds nothing within its reads says so, and n again goes on where it stopped', async () => {
		const {store, pager, history, log} = setup(20);
		for (let seq = 1; seq <= 2000; seq++) {
			log(seq === 5 ? 'needle' : `hay ${seq}`);
		}

		history.scanBudget = 100;
		store.setSearch('needle');
		store.scroll(-1);
		expect(store.jumpToMatch(-1)).toBe('searching');
		await settled(pager);
		expect(pager.error).toBe(`no match in ${READS_PER_SEARCH} reads of the run: N searches on`);
		expect(history.reads).toHaveLength(READS_PER_SEARCH);
		expect(store.jumpToMatch(-1)).toBe('searching');
		await settled(pager);
		expect(pager.error).toBe(`no match in ${READS_PER_SEARCH} reads of the run: N searches on`);
		// 20 held (1981 on), 8 reads of 100 back from there: the second search starts at 1181, where the first stopped.
		expect(history.reads[READS_PER_SEARCH]).toBe('before 1181 grep needle');
		expect(store.jumpToMatch(-1)).toBe('searching');
		await settled(pager);
		expect(pager.error).toBeUndefined();
		expect(cursorSeq(store)).toBe(5);
	});

	it('n within what is held asks which match of the run it is, one count at a time, for the hit it stops on', async () => {
		const {store, pager, history, log} = setup(200);
		produce(log, [10, 50, 95]);
		store.setSearch('needle');
		expect(store.jumpToMatch(-1)).toBe('found');
		expect(store.jumpToMatch(-1)).toBe('found');
		expect(store.jumpToMatch(-1)).toBe('found');
		expect(cursorSeq(store)).toBe(10);
		await until(() => pager.matchPlace() !== undefined, 'the count');
		expect(pager.matchPlaceText()).toBe('match 1 of 3 in the run');
		// The first hit's two counts (up to it, and the run's total, kept), then the last one's up to it; the one passed is skipped.
		expect(history.counts).toBe(3);
		store.scroll(1);
		expect(pager.matchPlace()).toBeUndefined();
		store.scroll(-1);
		expect(pager.matchPlaceText()).toBe('match 1 of 3 in the run');
	});

	it('counts the matches of the run the match is in, not of every run the pane reads', async () => {
		const {store, pager, log} = setup(200);
		log('needle of the run before', 'INFO', 'r-0');
		log('needle of the run before', 'INFO', 'r-0');
		produce(log, [10, 50, 95]);
		store.setSearch('needle');
		store.jumpToMatch(-1);
		await until(() => pager.matchPlace() !== undefined, 'the count');
		expect(pager.matchPlaceText()).toBe('match 3 of 3 in the run');
	});
});
