import process from 'node:process';
import {afterEach, describe, expect, it} from 'vitest';
import {cleanup} from 'ink-testing-library';
import {keys, renderViewer} from './render-viewer.js';

afterEach(() => {
	cleanup();
});

const lines = (frame: string) => frame.split('\n');

describe('panes', () => {
	it('shows one titled pane per source with its lines, and a status bar', async () => {
		const viewer = renderViewer({sources: ['automation/nightly-etl', 'task/extract'], columns: 100, rows: 20});
		viewer.stream('automation/nightly-etl').state({kind: 'live', since: Date.now()});
		viewer.stream('automation/nightly-etl').run({runId: 'r-7', status: 'running'});
		viewer.stream('automation/nightly-etl').log('extract started', 'INFO', {taskId: 'extract'});
		viewer.stream('task/extract').log('disk almost full', 'WARN', {taskId: 'extract'});
		const frame = await viewer.screen();
		expect(frame).toMatch(/▶1 automation\/nightly-etl r-7 running ● live/);
		expect(frame).toMatch(/ 2 task\/extract r-1 running ● connecting/);
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
		const pane = lines(await viewer.screen()).map((line) => line.slice(0, 49).trim());
		expect(pane.slice(1, 5).filter(Boolean).join(' ')).toBe(`no lines: offline: ${reason}`);
	});

	it('lays panes side by side when wide and stacked when narrow', async () => {
		const wide = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 12});
		expect(lines(await wide.screen())[0]).toMatch(/▶1 task\/a .* 2 task\/b/);
		wide.unmount();
		const narrow = renderViewer({sources: ['task/a', 'task/b'], columns: 80, rows: 12});
		const frame = lines(await narrow.screen());
		expect(frame[0]).toMatch(/^▶1 task\/a/);
		expect(frame.findIndex((line) => line.startsWith(' 2 task/b'))).toBeGreaterThan(2);
	});

	it('moves focus with Tab, Shift-Tab and digits, zooms and closes panes', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b', 'task/c'], columns: 100, rows: 24});
		expect(await viewer.press(keys.tab)).toMatch(/▶2 task\/b/);
		expect(await viewer.press(keys.shiftTab, keys.shiftTab)).toMatch(/▶3 task\/c/);
		expect(await viewer.press('1')).toMatch(/▶1 task\/a/);
		const zoomed = await viewer.press('z');
		expect(zoomed).not.toContain('task/b');
		expect(zoomed).toContain('zoomed 1/3 (z)');
		expect(await viewer.press('z')).toContain('task/b');
		const closed = await viewer.press('x');
		expect(closed).not.toContain('task/a');
		expect(viewer.stream('task/a').closed).toBe(true);
		expect(closed).toMatch(/▶1 task\/b/);
	});

	it('scrolling up stops following and G follows again', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		for (let index = 1; index <= 20; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		expect(await viewer.screen()).toContain('line 20');
		const scrolled = await viewer.press('k', 'k', 'k', 'k', 'k', 'k', 'k');
		expect(scrolled).toContain('not following');
		expect(scrolled).toContain('line 13');
		expect(scrolled).not.toContain('line 20');
		viewer.stream('task/a').log('line 21');
		// Lines 19 to 21 are below the screen, which stays put.
		const after = await viewer.screen();
		expect(after).toMatch(/not following \(3 below, G\)/);
		expect(after).toContain('line 13');
		const live = await viewer.press('G');
		expect(live).not.toContain('not following');
		expect(live).toContain('line 21');
	});

	it('goes to the top with g, pages with f / b and half pages with Ctrl-D / Ctrl-U', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		for (let index = 1; index <= 40; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		await viewer.screen();
		const shown = (frame: string) => [...frame.matchAll(/INFO {2}line (\d+)/g)].map((match) => Number(match[1]));
		expect(shown(await viewer.press('g'))).toEqual([1, 2, 3, 4, 5, 6]);
		expect(shown(await viewer.press('f'))).toEqual([7, 8, 9, 10, 11, 12]);
		expect(shown(await viewer.press('b'))).toEqual([1, 2, 3, 4, 5, 6]);
		// Half a page of 6 rows: the view and the cursor move 3 lines.
		await viewer.press('\u0004');
		expect(shown(await viewer.screen())).toEqual([4, 5, 6, 7, 8, 9]);
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('line 4');
		await viewer.press('\u0015');
		expect(viewer.workspace.focused?.store.cursorLine()?.message).toBe('line 1');
	});

	it('turns wrap off with w and scrolls sideways with l / h', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 40, rows: 6});
		viewer.stream('task/a').log(`start ${'abcdefgh'.repeat(10)} end`);
		expect(await viewer.screen()).toContain('end');
		const unwrapped = await viewer.press('w');
		expect(unwrapped).not.toContain('end');
		expect(unwrapped).toContain('nowrap +0');
		const sideways = await viewer.press('l', 'l');
		expect(sideways).toMatch(/INFO {2}cdefghab/);
		expect(sideways).toContain('nowrap +16');
		expect(await viewer.press('h', 'h')).toMatch(/INFO {2}start abc/);
	});

	it('pauses the focused pane, counts new lines, and resumes to live', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 10});
		viewer.stream('task/a').log('before pause');
		await viewer.screen();
		await viewer.press(' ');
		viewer.stream('task/a').log('while paused 1');
		viewer.stream('task/a').log('while paused 2');
		const paused = await viewer.screen();
		expect(paused).toContain('PAUSED +2 new');
		expect(paused).not.toContain('while paused');
		const resumed = await viewer.press('p');
		expect(resumed).not.toContain('PAUSED');
		expect(resumed).toContain('while paused 2');
	});

	it('pauses and resumes every pane with P', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 100, rows: 10});
		expect((await viewer.press('P')).match(/PAUSED \+0 new/g)?.length).toBeGreaterThanOrEqual(2);
		expect(await viewer.press('P')).not.toContain('PAUSED');
	});

	it('cycles timestamps relative, absolute (with ms), iso, none', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 8});
		viewer.stream('task/a').log('hello', 'INFO', {timestamp: new Date(Date.now() - 5000).toISOString()});
		expect(await viewer.screen()).toMatch(/5s ago {3}INFO {2}hello/);
		expect(await viewer.press('t')).toMatch(/\d\d:\d\d:\d\d\.\d{3} INFO {2}hello/);
		expect(await viewer.press('t')).toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z INFO {2}hello/);
		expect(await viewer.press('t')).toMatch(/^INFO {2}hello/m);
	});

	it('raises and lowers the level floor with + and -', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 10});
		viewer.stream('task/a').log('chatty', 'DEBUG');
		viewer.stream('task/a').log('broken', 'ERROR');
		await viewer.screen();
		const raised = await viewer.press('+', '+');
		expect(raised).not.toContain('chatty');
		expect(raised).toContain('broken');
		expect(raised).toContain('level INFO+');
		expect(await viewer.press('-', '-')).toContain('chatty');
	});

	it('copies the cursor line as shown with OSC 52 outside tmux, and says only that it asked', async () => {
		const tmux = process.env.TMUX;
		delete process.env.TMUX;
		try {
			const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
			viewer.stream('task/a').log('copy me', 'WARN', {taskId: 'other'});
			await viewer.press('t', 't', 't');
			const frame = await viewer.press('c');
			expect(viewer.raw).toEqual([`\u001B]52;c;${Buffer.from('WARN  [other] copy me').toString('base64')}\u0007`]);
			expect(frame).toContain('asked the terminal to copy 21 characters (OSC 52');
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
		expect(lines(await viewer.screen()).at(-1)).toMatch(/^reconnecting in 4s \(attempt 3\)/);
		viewer.stream('task/a').state({kind: 'completed', result: 'failed', durationMs: 133_000});
		expect(lines(await viewer.screen()).at(-1)).toMatch(/^completed: failed in 2m13s/);
		viewer.stream('task/a').state({kind: 'failed', reason: 'server said 404: no such task'});
		const frame = await viewer.screen();
		expect(lines(frame).at(-1)).toMatch(/^offline: server said 404: no such task/);
		expect(frame).toMatch(/task\/a ● offline/);
	});

	it('says a finished run is finished while the connection stays up for the next run', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 80, rows: 6});
		const stream = viewer.stream('task/a');
		stream.state({kind: 'live', since: Date.now()});
		stream.run({runId: 'r-1', status: 'running'});
		expect(lines(await viewer.screen()).at(-1)).toMatch(/^live · 0 lines\/s/);
		stream.run({runId: 'r-1', status: 'failed', durationMs: 133_000});
		expect(lines(await viewer.screen()).at(-1)).toMatch(/^live · completed: failed in 2m13s · .*\? help/);
		// The next run starting takes it away.
		stream.run({runId: 'r-2', status: 'running'});
		expect(lines(await viewer.screen()).at(-1)).toMatch(/^live · 0 lines\/s/);
	});

	it('counts lines dropped from scrollback', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 6, scrollback: 5});
		for (let index = 0; index < 8; index++) {
			viewer.stream('task/a').log(`line ${index}`);
		}

		expect(await viewer.screen()).toMatch(/3 older lines dropped · \d+ lines?\/s · 5 buffered/);
	});
});

describe('titles and the status bar say what matters, in every pane', () => {
	it('cuts the source name of a narrow pane, never its state, and marks filter, level and pause in each pane', async () => {
		const viewer = renderViewer({sources: ['artifact/orders-parquet-with-a-long-name', 'task/b'], columns: 100, rows: 20});
		viewer.stream('artifact/orders-parquet-with-a-long-name').state({kind: 'failed', reason: 'HTTP 404 Not Found'});
		await viewer.press('/', 'boom', keys.enter, '+', '+', '+', 'p', keys.tab);
		const title = lines(await viewer.screen())[0]!.split('│')[0]!;
		// The first pane is no longer focused, and still says it is offline, filtered, floored and paused.
		expect(title).toMatch(/^ 1 arti… ● offline /);
		expect(title).toContain('PAUSED +0 new');
		expect(title).toContain('/boom/');
		expect(title).toContain('≥WARN');
	});

	it('counts live lines only: a replayed hour-old history is not throughput', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
		const old = new Date(Date.now() - 3_600_000).toISOString();
		for (let index = 0; index < 500; index++) {
			viewer.stream('task/a').log(`old ${index}`, 'INFO', {timestamp: old});
		}

		expect(lines(await viewer.screen()).at(-1)).toMatch(/ 0 lines\/s · 500 buffered/);
		viewer.stream('task/a').log('fresh');
		expect(lines(await viewer.screen()).at(-1)).toMatch(/ 0 lines\/s|1 line\/s/);
	});
});

describe('a pane on all', () => {
	it('says whose each line is: the automation or pipeline and its task or artifact', async () => {
		const viewer = renderViewer({sources: ['all'], columns: 100, rows: 8});
		viewer.stream('all').log('extracted', 'INFO', {automationId: 'nightly-etl', taskId: 'extract'});
		viewer.stream('all').log('written', 'INFO', {pipelineId: 'sales-report', artifactId: 'report-csv'});
		viewer.stream('all').log('run started', 'INFO', {automationId: 'hourly-sync'});
		const frame = await viewer.screen();
		expect(frame).toContain('INFO  [nightly-etl/extract] extracted');
		expect(frame).toContain('INFO  [sales-report/report-csv] written');
		expect(frame).toContain('INFO  [hourly-sync] run started');
	});
});
