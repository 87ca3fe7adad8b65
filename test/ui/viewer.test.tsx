import process from 'node:process';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer} from './render-viewer.js';

afterEach(() => {
	cleanup();
});

const lines = (frame: string) => frame.split('\n');

/** The first frame whose status bar (the last row) matches. */
async function statusLine(viewer: ReturnType<typeof renderViewer>, pattern: RegExp): Promise<string> {
	return viewer.frame((frame) => pattern.test(lines(frame).at(-1) ?? ''), `a status bar matching ${String(pattern)}`);
}

describe('panes', () => {
	it('shows one titled pane per source with its lines, and a status bar', async () => {
		const viewer = renderViewer({sources: ['automation/nightly-etl', 'task/extract'], columns: 100, rows: 20});
		viewer.stream('automation/nightly-etl').state({kind: 'live', since: Date.now()});
		viewer.stream('automation/nightly-etl').run({runId: 'r-7', status: 'running'});
		viewer.stream('automation/nightly-etl').log('extract started', 'INFO', {taskId: 'extract'});
		viewer.stream('task/extract').log('disk almost full', 'WARN', {taskId: 'extract'});
		const frame = await viewer.showing('● live', 'disk almost full', 'extract started');
		expect(frame).toMatch(/▶1 automation\/nightly-etl r-7 running ● live/);
		// The WARN came to a pane not focused: it is counted in its title, which gives up the source's kind for it.
		expect(frame).toMatch(/ 2 extract r-1 running ● connecting {2}1 WARN new/);
		expect(frame).toContain('INFO  [extract] extract started');
		// A task pane does not label its own task's lines.
		expect(frame).toMatch(/WARN {2}disk almost full/);
		// Every row of the terminal is the viewer's, the status bar on the last.
		expect(lines(frame)).toHaveLength(20);
		expect(lines(frame).at(-1)).toMatch(/^live · 0 lines\/s · 1 buffered · \? help/);
	});

	it('says in full why an empty pane is offline, wrapped to the pane', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 12});
		const reason = 'HTTP 401 Unauthorized: the token is not valid (check --token, DBTAIL_TOKEN or the profile)';
		viewer.stream('task/a').state({kind: 'failed', reason});
		// The left pane is 49 columns: the last one is the terminal's, kept empty, and a rule stands between the panes.
		const pane = lines(await viewer.showing('● offline')).map((line) => line.slice(0, 49).trim());
		expect(pane.slice(1, 5).filter(Boolean).join(' ')).toBe(`no lines: offline: ${reason}`);
	});

	it('lays panes side by side when wide and stacked when narrow', async () => {
		const wide = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 12});
		expect(lines(await wide.showing('task/b'))[0]).toMatch(/▶1 task\/a .* 2 task\/b/);
		wide.unmount();
		const narrow = renderViewer({sources: ['task/a', 'task/b'], columns: 80, rows: 12});
		const frame = lines(await narrow.showing('task/b'));
		expect(frame[0]).toMatch(/^▶1 task\/a/);
		expect(frame.findIndex((line) => line.startsWith(' 2 task/b'))).toBeGreaterThan(2);
	});

	it('moves focus with Tab, Shift-Tab and digits, zooms and closes panes', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b', 'task/c'], columns: 100, rows: 24});
		// The keys themselves are unit-tested (test/model/viewer-state.test.ts); this is what the screen says.
		await viewer.press(keys.tab);
		await viewer.showing('▶2 task/b');
		await viewer.press(keys.shiftTab, keys.shiftTab);
		await viewer.showing('▶3 task/c');
		await viewer.press('1', 'z');
		const zoomed = await viewer.showing('zoomed 1/3 (z)');
		expect(zoomed).not.toContain('task/b');
		await viewer.press('z', 'x');
		const closed = await viewer.showing('▶1 task/b');
		expect(closed).not.toContain('task/a');
		expect(viewer.stream('task/a').closed).toBe(true);
	});

	it('scrolling up stops following and G follows again', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		for (let index = 1; index <= 20; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		await viewer.showing('line 20');
		await viewer.press('k', 'k', 'k', 'k', 'k', 'k', 'k');
		const scrolled = await viewer.showing('not following', 'line 13');
		expect(scrolled).not.toContain('line 20');
		viewer.stream('task/a').log('line 21');
		// Lines 19 to 21 are below the screen, which stays put.
		const after = await viewer.showing('3 below, G');
		expect(after).toContain('line 13');
		await viewer.press('G');
		const live = await viewer.showing('line 21');
		expect(live).not.toContain('not following');
	});

	it('goes to the top with g, pages with f / b and half pages with Ctrl-D / Ctrl-U', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		for (let index = 1; index <= 40; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		await viewer.showing('line 40');
		const shown = (frame: string) => [...frame.matchAll(/INFO {2}line (\d+)/g)].map((match) => Number(match[1]));
		const rows = async (...expected: number[]) => viewer.frame((frame) => shown(frame).join() === expected.join(), `lines ${expected.join()}`);
		await viewer.press('g');
		await rows(1, 2, 3, 4, 5, 6);
		await viewer.press('f');
		await rows(7, 8, 9, 10, 11, 12);
		await viewer.press('b');
		await rows(1, 2, 3, 4, 5, 6);
		// Half a page of 6 rows: the view and the cursor move 3 lines.
		await viewer.press('\u0004');
		await rows(4, 5, 6, 7, 8, 9);
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('line 4');
		await viewer.press('\u0015');
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('line 1');
	});

	it('turns wrap off with w and scrolls sideways with l / h', async () => {
		// Seven rows: the line (five rows wrapped) fits its pane whole, so its end is on screen before w.
		const viewer = renderViewer({sources: ['task/a'], columns: 40, rows: 7});
		viewer.stream('task/a').log(`start ${'abcdefgh'.repeat(10)} end`);
		await viewer.showing('end');
		await viewer.press('w');
		const unwrapped = await viewer.showing('nowrap +0');
		expect(unwrapped).not.toContain('end');
		await viewer.press('l', 'l');
		const sideways = await viewer.showing('nowrap +16');
		expect(sideways).toMatch(/INFO {2}cdefghab/);
		await viewer.press('h', 'h');
		await viewer.showing('INFO  start abc');
	});

	it('pauses the focused pane, counts new lines, and resumes to live', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 10});
		viewer.stream('task/a').log('before pause');
		await viewer.showing('before pause');
		await viewer.press(' ');
		viewer.stream('task/a').log('while paused 1');
		viewer.stream('task/a').log('while paused 2');
		const paused = await viewer.showing('PAUSED +2 new');
		expect(paused).not.toContain('while paused');
		await viewer.press('p');
		const resumed = await viewer.showing('while paused 2');
		expect(resumed).not.toContain('PAUSED');
	});

	it('pauses and resumes every pane with P', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 10});
		await viewer.press('P');
		await viewer.frame((frame) => (frame.match(/PAUSED \+0 new/g)?.length ?? 0) >= 2, 'both panes paused');
		await viewer.press('P');
		await viewer.frame((frame) => !frame.includes('PAUSED'), 'no pane paused');
	});

	it('cycles timestamps relative, absolute (with ms), iso, none', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		viewer.stream('task/a').log('hello', 'INFO', {timestamp: new Date(Date.now() - 5000).toISOString()});
		const matching = async (pattern: RegExp) => viewer.frame((frame) => pattern.test(frame), String(pattern));
		await matching(/[56]s ago {3}INFO {2}hello/);
		await viewer.press('t');
		await matching(/\d\d:\d\d:\d\d\.\d{3} INFO {2}hello/);
		await viewer.press('t');
		await matching(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}hello/);
		await viewer.press('t');
		await matching(/^INFO {2}hello/m);
	});

	it('raises and lowers the level floor with + and -', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 10});
		viewer.stream('task/a').log('chatty', 'DEBUG');
		viewer.stream('task/a').log('broken', 'ERROR');
		await viewer.showing('chatty', 'broken');
		await viewer.press('+', '+');
		const raised = await viewer.showing('level INFO+', 'broken');
		expect(raised).not.toContain('chatty');
		await viewer.press('-', '-');
		await viewer.showing('chatty');
	});

	it('copies the cursor line as shown with OSC 52 outside tmux, and says only that it asked', async () => {
		const tmux = process.env.TMUX;
		delete process.env.TMUX;
		try {
			const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
			viewer.stream('task/a').log('copy me', 'WARN', {taskId: 'other'});
			await viewer.showing('copy me');
			await viewer.press('t', 't', 't', 'c');
			await viewer.showing('asked the terminal to copy 21 characters (OSC 52');
			expect(viewer.raw).toEqual([`\u001B]52;c;${Buffer.from('WARN  [other] copy me').toString('base64')}\u0007`]);
		} finally {
			if (tmux !== undefined) {
				process.env.TMUX = tmux;
			}
		}
	});

	it('quits on q and on Ctrl-C', async () => {
		const viewer = renderViewer({sources: ['task/a']});
		await viewer.press('q');
		expect(viewer.quits()).toBe(1);
		const again = renderViewer({sources: ['task/a']});
		await again.press(keys.ctrlC);
		expect(again.quits()).toBe(1);
	});
});

describe('status bar', () => {
	it('says how the connection is doing', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 6});
		viewer.stream('task/a').state({kind: 'reconnecting', attempt: 3, retryAt: Date.now() + 3500, lastError: ''});
		await statusLine(viewer, /^reconnecting in [34]s \(attempt 3\)/);
		viewer.stream('task/a').state({kind: 'completed', result: 'failed', durationMs: 133_000});
		await statusLine(viewer, /^completed: failed in 2m13s/);
		viewer.stream('task/a').state({kind: 'failed', reason: 'server said 404: no such task'});
		const frame = await statusLine(viewer, /^offline: server said 404: no such task/);
		expect(frame).toMatch(/task\/a ● offline/);
	});

	it('says a finished run is finished while the connection stays up for the next run', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 6});
		const stream = viewer.stream('task/a');
		stream.state({kind: 'live', since: Date.now()});
		stream.run({runId: 'r-1', status: 'running'});
		await statusLine(viewer, /^live · 0 lines\/s/);
		stream.run({runId: 'r-1', status: 'failed', durationMs: 133_000});
		await statusLine(viewer, /^live · completed: failed in 2m13s · .*\? help/);
		// The next run starting takes it away.
		stream.run({runId: 'r-2', status: 'running'});
		await statusLine(viewer, /^live · 0 lines\/s/);
	});

	it('counts lines dropped from scrollback', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 6, scrollback: 5});
		for (let index = 0; index < 8; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		await viewer.frame((frame) => /3 older lines dropped · \d+ lines?\/s · 5 buffered/.test(frame), 'the dropped count');
	});
});

describe('titles and the status bar say what matters, in every pane', () => {
	it('keeps the id of a narrow pane\'s source (its kind and middle go first), its state, and marks filter, level and pause in each pane', async () => {
		const viewer = renderViewer({sources: ['artifact/orders-parquet-with-a-long-name', 'task/b'], columns: 100, rows: 20});
		viewer.stream('artifact/orders-parquet-with-a-long-name').state({kind: 'failed', reason: 'HTTP 404 Not Found'});
		await viewer.press('/', 'boom', keys.enter, '+', '+', '+', 'p', keys.tab);
		const title = lines(await viewer.showing('▶2 task/b', 'PAUSED +0'))[0]!.split('│')[0]!;
		// The first pane is no longer focused, and still says which it is, that it is offline, filtered, floored and paused.
		expect(title).toMatch(/^ 1 orders…-name ● offline /);
		expect(title).toContain('PAUSED +0');
		expect(title).toContain('/boom/');
		expect(title).toContain('≥WARN');
	});

	it('counts live lines only: a replayed hour-old history is not throughput', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
		const old = new Date(Date.now() - 3_600_000).toISOString();
		for (let index = 0; index < 500; index++) {
			viewer.stream('task/a').log(`old ${index}`, 'INFO', {timestamp: old});
		}

		await statusLine(viewer, / 0 lines\/s · 500 buffered/);
		viewer.stream('task/a').log('fresh');
		await statusLine(viewer, /( 0 lines\/s|1 line\/s) · 501 buffered/);
	});
});

describe('a pane on all', () => {
	it('says whose each line is: the automation or pipeline and its task or artifact', async () => {
		const viewer = renderViewer({sources: ['all'], columns: 100, rows: 8});
		viewer.stream('all').log('extracted', 'INFO', {automationId: 'nightly-etl', taskId: 'extract'});
		viewer.stream('all').log('written', 'INFO', {pipelineId: 'sales-report', artifactId: 'report-csv'});
		viewer.stream('all').log('run started', 'INFO', {automationId: 'hourly-sync'});
		await viewer.showing('INFO  [nightly-etl/extract] extracted', 'INFO  [sales-report/report-csv] written', 'INFO  [hourly-sync] run started');
	});
});
