import {describe, expect, it} from 'vitest';
import {ActivitySparkline} from '../../source/model/activity-sparkline.js';
import {ArrivalRate} from '../../source/model/arrival-rate.js';
import type {RunNotice} from '../../source/model/run-notices.js';
import {char} from '../../source/model/viewer-key.js';
import {ViewerState} from '../../source/model/viewer-state.js';
import {memoryWorkspace} from '../ui/memory-stream.js';

/*
 * Attention across panes: the unread ERROR and WARN counts of a pane the user is not looking at, which
 * news notifies (a run's first ERROR, a run's end; once per run and kind; nothing for what a pane opened
 * on), and the activity sparkline's cells. A real Workspace over in-memory streams, keys through ViewerState.
 */

const longAgo = () => new Date(Date.now() - 3_600_000).toISOString();

function twoPanes(...sources: string[]) {
	const names = sources.length > 0 ? sources : ['automation/a', 'automation/b'];
	const {workspace, stream} = memoryWorkspace();
	workspace.resize({columns: 120, rows: 30});
	for (const source of names) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
	const notices: RunNotice[] = [];
	workspace.onNotice((notice) => notices.push(notice));
	const viewer = new ViewerState({
		workspace,
		loadSources: async () => [],
		shell: {quit() {}, redraw() {}, suspend() {}, copy: async () => ({ok: true, message: ''})},
	});
	const pane = (index: number) => workspace.panes[index]!;
	const unread = (index: number) => ({errors: pane(index).attention.errors, warnings: pane(index).attention.warnings});
	return {workspace, stream, notices, viewer, pane, unread};
}

describe('unread ERROR and WARN lines', () => {
	it('are counted in a pane that is not focused, FATAL as ERROR, and read when it is focused at its live end', () => {
		const {workspace, stream, unread} = twoPanes();
		const b = stream('automation/b');
		b.log('disk full', 'ERROR');
		b.log('gave up', 'FATAL');
		b.log('slow', 'WARN');
		b.log('fine');
		stream('automation/a').log('the focused pane hears this', 'ERROR');
		expect(unread(1)).toEqual({errors: 2, warnings: 1});
		expect(unread(0)).toEqual({errors: 0, warnings: 0});
		workspace.focusIndex(1);
		expect(unread(1)).toEqual({errors: 0, warnings: 0});
	});

	it('are counted in the focused pane while it is scrolled back or paused, and read when it is live again (G, resume)', () => {
		const {stream, unread, viewer} = twoPanes();
		const a = stream('automation/a');
		for (let n = 0; n < 60; n++) {
			a.log(`line ${n}`);
		}

		viewer.feed([char('g')]);
		a.log('below the view', 'ERROR');
		a.log('also below', 'WARN');
		expect(unread(0)).toEqual({errors: 1, warnings: 1});
		viewer.feed([char('G')]);
		expect(unread(0)).toEqual({errors: 0, warnings: 0});
		viewer.feed([char('p')]);
		a.log('while paused', 'WARN');
		expect(unread(0)).toEqual({errors: 0, warnings: 1});
		viewer.feed([char('p')]);
		expect(unread(0)).toEqual({errors: 0, warnings: 0});
	});

	it('are read by e (to the next ERROR) in the focused pane, not by E, nor by focusing it scrolled back', () => {
		const {workspace, stream, unread, viewer} = twoPanes();
		const b = stream('automation/b');
		for (let n = 0; n < 60; n++) {
			b.log(`line ${n}`);
		}

		workspace.focusIndex(1);
		viewer.feed([char('g')]);
		workspace.focusIndex(0);
		b.log('new trouble', 'ERROR');
		workspace.focusIndex(1);
		expect(unread(1)).toEqual({errors: 1, warnings: 0});
		viewer.feed([char('E')]);
		expect(unread(1)).toEqual({errors: 1, warnings: 0});
		viewer.feed([char('e')]);
		expect(unread(1)).toEqual({errors: 0, warnings: 0});
		expect(workspace.focused!.store.cursorLine()?.message).toBe('new trouble');
	});

	it('leave out what the pane opened on (logged before it was opened), but count lines missed during an outage', () => {
		const {stream, unread} = twoPanes();
		const b = stream('automation/b');
		b.log('replayed on open', 'ERROR', {timestamp: longAgo()});
		b.log('replayed warning', 'WARN', {timestamp: longAgo()});
		expect(unread(1)).toEqual({errors: 0, warnings: 0});
		b.state({kind: 'reconnecting', attempt: 1, retryAt: Date.now() + 1000, lastError: 'ECONNRESET'});
		b.state({kind: 'live', since: Date.now()});
		// Logged a moment ago, during the outage, and replayed on the reconnect.
		b.log('missed while away', 'ERROR', {timestamp: new Date(Date.now() - 2000).toISOString()});
		expect(unread(1)).toEqual({errors: 1, warnings: 0});
	});
});

describe('notices', () => {
	it("a run's first ERROR in a pane not focused, once per run; a new run's first ERROR again", () => {
		const {stream, notices} = twoPanes();
		const b = stream('automation/b');
		b.log('first', 'ERROR', {runId: 'r-7'});
		b.log('second', 'ERROR', {runId: 'r-7'});
		b.log('fatal too', 'FATAL', {runId: 'r-7'});
		expect(notices).toEqual([{kind: 'errors', source: 'automation/b', runId: 'r-7', message: 'first'}]);
		b.log('next run', 'ERROR', {runId: 'r-8'});
		expect(notices.map((notice) => notice.runId)).toEqual(['r-7', 'r-8']);
	});

	it("a run's end (completed or failed), once, with its result and duration", () => {
		const {stream, notices} = twoPanes();
		const b = stream('automation/b');
		b.log('working', 'INFO', {runId: 'r-7'});
		b.run({runId: 'r-7', status: 'failed', durationMs: 61_000});
		b.run({runId: 'r-7', status: 'failed', durationMs: 61_000});
		b.log('next', 'INFO', {runId: 'r-8'});
		b.run({runId: 'r-8', status: 'succeeded', durationMs: 1000});
		expect(notices).toEqual([
			{kind: 'end', source: 'automation/b', runId: 'r-7', result: 'failed', durationMs: 61_000},
			{kind: 'end', source: 'automation/b', runId: 'r-8', result: 'succeeded', durationMs: 1000},
		]);
	});

	it('nothing for a pane opened on a finished run: its replayed ERRORs and its end are not news', () => {
		const {stream, notices, unread} = twoPanes();
		const b = stream('automation/b');
		b.log('old failure', 'ERROR', {runId: 'r-3', timestamp: longAgo()});
		b.log('old end', 'INFO', {runId: 'r-3', timestamp: longAgo()});
		b.run({runId: 'r-3', status: 'failed', durationMs: 5000});
		expect(notices).toEqual([]);
		expect(unread(1)).toEqual({errors: 0, warnings: 0});
	});

	it('no first-ERROR notice for a run whose errors had started before the pane opened', () => {
		const {stream, notices} = twoPanes();
		const b = stream('automation/b');
		b.log('before the pane opened', 'ERROR', {runId: 'r-5', timestamp: longAgo()});
		b.log('live, but not the first', 'ERROR', {runId: 'r-5'});
		expect(notices).toEqual([]);
		// The run was heard alive (a live line), so its end is news.
		b.run({runId: 'r-5', status: 'failed'});
		expect(notices.map((notice) => notice.kind)).toEqual(['end']);
	});

	it('nothing when the focused pane hears it, and that uses the notice up; nothing from a pane of the run the focused pane shows', () => {
		const {workspace, stream, notices} = twoPanes('automation/a', 'task/load', 'automation/c');
		const a = stream('automation/a');
		a.log('seen where it happens', 'ERROR', {runId: 'r-1'});
		workspace.focusIndex(2);
		a.log('again, unfocused now', 'ERROR', {runId: 'r-1'});
		expect(notices).toEqual([]);
		// The task's pane and the focused automation's pane are on one run: the ERROR shows in both.
		stream('automation/c').log('starting', 'INFO', {runId: 'r-9'});
		stream('task/load').log('load failed', 'ERROR', {runId: 'r-9'});
		expect(notices).toEqual([]);
		// Two unfocused panes of one run: one notice between them.
		workspace.focusIndex(0);
		stream('task/load').log('later', 'INFO', {runId: 'r-9'});
		stream('automation/c').run({runId: 'r-9', status: 'failed'});
		stream('task/load').run({runId: 'r-9', status: 'failed'});
		expect(notices).toEqual([{kind: 'end', source: 'automation/c', runId: 'r-9', result: 'failed', durationMs: undefined}]);
	});

	it('a source with no runs is its own run: one first-ERROR notice for the pane', () => {
		const {stream, notices} = twoPanes('automation/a', 'https://logs.example.com/stream');
		const url = stream('https://logs.example.com/stream');
		url.log('no run here', 'ERROR', {runId: undefined});
		url.log('still none', 'ERROR', {runId: undefined});
		expect(notices).toEqual([{kind: 'errors', source: 'https://logs.example.com/stream', runId: undefined, message: 'no run here'}]);
	});

	it('none after the workspace is disposed', () => {
		const {workspace, stream, notices} = twoPanes();
		const b = stream('automation/b');
		workspace.dispose();
		b.log('too late', 'ERROR');
		expect(notices).toEqual([]);
	});
});

describe('the activity sparkline', () => {
	const at = (second: number) => second * 1000;

	it('sums lines in 5 s cells of the clock over 60 s, scaled to the busiest cell; a cell with none is blank', () => {
		const spark = new ActivitySparkline();
		// The window ends at second 1,000,059: cells start at 1,000,000, 1,000,005, …
		for (let n = 0; n < 40; n++) {
			spark.add(at(1_000_000), false);
		}

		for (let n = 0; n < 10; n++) {
			spark.add(at(1_000_012), false);
		}

		spark.add(at(1_000_058), true);
		const cells = spark.cells(at(1_000_059) + 500);
		expect(cells.map((cell) => cell.glyph).join('')).toBe(`▇ ▂${' '.repeat(8)}▁`);
		expect(cells.map((cell) => cell.error)).toEqual([...Array.from({length: 11}, () => false), true]);
	});

	it('forgets what is older than 60 s, and draws nothing once nothing arrived within them', () => {
		const spark = new ActivitySparkline();
		spark.add(at(2_000_000), false);
		expect(spark.cells(at(2_000_000)).map((cell) => cell.glyph).join('')).toBe('           ▇');
		expect(spark.cells(at(2_000_030)).map((cell) => cell.glyph).join('')).toBe('     ▇      ');
		expect(spark.signature(at(2_000_030))).toBe(String(2_000_030 / 5));
		expect(spark.cells(at(2_000_060))).toEqual([]);
		expect(spark.signature(at(2_000_060))).toBe('');
	});

	it("ArrivalRate's counts are per second, oldest first, the current second last", () => {
		const rate = new ArrivalRate(4);
		rate.add(at(10));
		rate.add(at(12));
		rate.add(at(12) + 900);
		expect(rate.counts(at(13))).toEqual([1, 0, 2, 0]);
		expect(rate.counts(at(15))).toEqual([2, 0, 0, 0]);
	});

	it('counts a pane\'s live lines, not its replay, with ERROR seconds marked', () => {
		const {stream, pane} = twoPanes();
		const b = stream('automation/b');
		b.state({kind: 'live', since: Date.now()});
		b.log('replayed', 'INFO', {timestamp: longAgo()});
		expect(pane(1).attention.activity.cells(Date.now())).toEqual([]);
		b.log('live', 'ERROR');
		expect(pane(1).attention.activity.cells(Date.now()).at(-1)).toEqual({glyph: '▇', error: true});
	});
});
