import {cleanup, render} from 'ink-testing-library';
import {afterAll, afterEach, describe, expect, it, vi} from 'vitest';
import {App} from '../../source/ui/app.js';
import {noticeBytes, oscField, tmuxPassthrough} from '../../source/ui/notify-terminal.js';
import {until} from '../helpers/until.js';
import {memoryWorkspace} from './memory-stream.js';
import {keys, renderViewer} from './render-viewer.js';
import {screenText} from './screen-text.js';

/*
 * Attention across panes, drawn: the unread counts in a title (in the level colors) and when they clear,
 * the activity sparkline at a title's right end and when it gives way, and the bell and OSC 9 / OSC 777
 * written beside the frames when a run in a pane not focused ends or logs its first ERROR.
 */

// Colors on, before chalk is loaded (it reads the terminal's support once): the counts are drawn in the level colors.
const colors = vi.hoisted(() => {
	const before = process.env.FORCE_COLOR;
	process.env.FORCE_COLOR = '1';
	return before;
});

afterEach(() => {
	cleanup();
});

afterAll(() => {
	if (colors === undefined) {
		delete process.env.FORCE_COLOR;
	} else {
		process.env.FORCE_COLOR = colors;
	}
});

const ESC = '\u001B';
const BEL = '\u0007';
/** The title of pane `number`, wherever the layout put it (side by side: a piece of a row between rules). */
const titleOf = (frame: string, number: number) =>
	frame
		.split('\n')
		.flatMap((row) => row.split('│'))
		.find((piece) => piece.startsWith(` ${number} `) || piece.startsWith(`▶${number} `)) ?? '';

describe('unread counts in a title', () => {
	it('show `2 ERROR 1 WARN new` in a pane not focused, ERROR red and WARN yellow, and go when it is focused at its live end', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/b'], columns: 120, rows: 12});
		const b = viewer.stream('task/b');
		b.log('disk full', 'ERROR');
		b.log('gave up', 'FATAL');
		b.log('slow disk', 'WARN');
		const frame = await viewer.showing('2 ERROR 1 WARN new');
		expect(titleOf(frame, 2)).toContain('2 task/b r-1 running ● connecting  2 ERROR 1 WARN new');
		// The raw frame: the counts in the level palette (red bold, yellow).
		expect(viewer.frames.at(-1)).toContain(`${ESC}[31m${ESC}[1m2 ERROR`);
		expect(viewer.frames.at(-1)).toContain(`${ESC}[33m1 WARN`);
		await viewer.press(keys.tab);
		await viewer.frame((shown) => !shown.includes('ERROR 1 WARN new') && shown.includes('▶2 task/b'), 'the counts read once pane 2 is focused');
	});

	it('keep counting in the focused pane scrolled back, and e reads them', async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
		const a = viewer.stream('task/a');
		for (let n = 0; n < 30; n++) {
			a.log(`line ${n}`);
		}

		await viewer.showing('line 29');
		await viewer.press('g');
		a.log('went wrong below the view', 'ERROR');
		await viewer.showing('1 ERROR new');
		await viewer.press('e');
		await viewer.frame((shown) => !shown.includes('ERROR new') && shown.includes('went wrong below the view'), 'e to read the count and show the line');
	});

	it('give way in a narrow title: `new` and the spacing go before the source id is cut', async () => {
		const viewer = renderViewer({sources: ['task/a', 'task/extract'], columns: 45, rows: 12});
		viewer.stream('task/extract').log('bad', 'ERROR');
		viewer.stream('task/extract').log('meh', 'WARN');
		const frame = await viewer.showing('1 ERROR 1 WARN');
		expect(titleOf(frame, 2)).toContain('2 extract r-1 ● connecting  1 ERROR 1 WARN');
		expect(titleOf(frame, 2)).not.toContain('new');
	});
});

describe('e in the footer and the help', () => {
	it('is in the footer where the status bar has room for it (after T), and its help says it reads the count', async () => {
		const wide = renderViewer({sources: ['task/a'], columns: 160, rows: 30});
		wide.stream('task/a').log('only line');
		await wide.showing('? help  / filter  s search  T time  e ERROR  p pause  o open  q quit');
		const narrower = renderViewer({sources: ['task/a'], columns: 100, rows: 30});
		narrower.stream('task/a').log('only line');
		expect(await narrower.showing('T time')).not.toContain('e ERROR');
		await wide.press('?');
		await wide.showing("e  E             next / previous ERROR line (e reads a title's 2 ERROR new)");
	});
});

describe('the activity sparkline', () => {
	it("is drawn at a wide title's right end, with an ERROR second in the error color, and left out of a narrow one", async () => {
		const viewer = renderViewer({sources: ['task/a'], columns: 100, rows: 8});
		const a = viewer.stream('task/a');
		a.state({kind: 'live', since: Date.now()});
		a.log('one');
		a.log('two', 'ERROR');
		const frame = await viewer.frame((shown) => shown.split('\n')[0]!.endsWith('▇'), 'a sparkline at the title\'s end');
		expect(frame.split('\n')[0]).toHaveLength(99);
		expect(viewer.frames.at(-1)).toContain(`${ESC}[31m${ESC}[1m▇`);
		// 39 columns: `▶1 task/a r-1 running ● live ` and 13 more for the sparkline do not fit.
		const narrow = renderViewer({sources: ['task/a'], columns: 40, rows: 8});
		narrow.stream('task/a').state({kind: 'live', since: Date.now()});
		narrow.stream('task/a').log('one');
		const shown = await narrow.showing('one');
		expect(shown.split('\n')[0]).not.toMatch(/[▁▂▃▅▇]/);
	});
});

describe('notifications', () => {
	it('ring the bell and send OSC 9 and OSC 777 once when a run in a pane not focused fails', async () => {
		const viewer = renderViewer({sources: ['automation/a', 'automation/b'], columns: 120, rows: 12});
		const b = viewer.stream('automation/b');
		b.log('working', 'INFO', {runId: 'r-41'});
		b.run({runId: 'r-41', status: 'failed', durationMs: 252_000});
		b.run({runId: 'r-41', status: 'failed', durationMs: 252_000});
		await until(() => viewer.raw.length > 0, 'a notification');
		expect(viewer.raw).toEqual([`${ESC}]9;dbtail: automation/b r-41 failed in 4m12s${BEL}${ESC}]777;notify;dbtail;automation/b r-41 failed in 4m12s${BEL}${BEL}`]);
	});

	it('say nothing for the focused pane, and nothing with --notify off', async () => {
		const viewer = renderViewer({sources: ['automation/a'], columns: 100, rows: 8});
		viewer.stream('automation/a').log('right here', 'ERROR');
		await viewer.showing('right here');
		expect(viewer.raw).toEqual([]);

		const {workspace, stream} = memoryWorkspace();
		workspace.open('automation/x');
		workspace.open('automation/y');
		workspace.focusIndex(0);
		workspace.resize({columns: 100, rows: 8});
		const raw: string[] = [];
		const off = render(<App workspace={workspace} size={{columns: 100, rows: 8}} loadSources={async () => []} writeRaw={(data) => raw.push(data)} notify={{mode: 'off', tmux: false}} />);
		stream('automation/y').log('elsewhere', 'ERROR');
		await until(() => screenText(off.lastFrame() ?? '').includes('1 ERROR new'), 'the count in pane 2');
		expect(raw).toEqual([]);
	});

	it('in tmux, wrap the OSCs in its passthrough (ESCs doubled) and leave the bell as it is', async () => {
		const {workspace, stream} = memoryWorkspace();
		workspace.open('automation/x');
		workspace.open('automation/y');
		workspace.focusIndex(0);
		workspace.resize({columns: 100, rows: 8});
		const raw: string[] = [];
		render(<App workspace={workspace} size={{columns: 100, rows: 8}} loadSources={async () => []} writeRaw={(data) => raw.push(data)} notify={{mode: 'both', tmux: true}} />);
		stream('automation/y').log('disk; full\u001B]0;owned\u0007', 'ERROR', {runId: 'r-9'});
		await until(() => raw.length > 0, 'a notification');
		const body = 'automation/y r-9 first ERROR: disk, full ]0,owned';
		expect(raw).toEqual([`${ESC}Ptmux;${ESC}${ESC}]9;dbtail: ${body}${BEL}${ESC}\\${ESC}Ptmux;${ESC}${ESC}]777;notify;dbtail;${body}${BEL}${ESC}\\${BEL}`]);
	});
});

describe('the notification text', () => {
	it('has no control character, no `;`, and at most 160 characters, cut between code points', () => {
		expect(oscField('a\u0000b\u009Cc\u007Fd;e\nf\tg')).toBe('a b c d,e f g');
		const long = oscField('😀'.repeat(300));
		expect(Array.from(long)).toHaveLength(160);
		expect(long.endsWith('😀…')).toBe(true);
		expect(tmuxPassthrough(`${ESC}]9;x${BEL}`)).toBe(`${ESC}Ptmux;${ESC}${ESC}]9;x${BEL}${ESC}\\`);
	});

	it('has no bidi control or Unicode line break: a notification reads in the order it was written, on one line', () => {
		// The same class sanitize.ts neutralizes in log text: an override in a task id or message must not reorder the desktop's text.
		expect(oscField('run \u202Edeliaf\u202C ok \u2066x\u2069\u2028y\u2029z')).toBe('run deliaf ok x y z');
	});

	it('per mode: the bell alone, the desktop alone, nothing', () => {
		const notice = {kind: 'end', source: 'task/t', runId: 'r-1', result: 'succeeded'} as const;
		expect(noticeBytes(notice, 'bell', false)).toBe(BEL);
		expect(noticeBytes(notice, 'desktop', false)).toBe(`${ESC}]9;dbtail: task/t r-1 succeeded${BEL}${ESC}]777;notify;dbtail;task/t r-1 succeeded${BEL}`);
		expect(noticeBytes(notice, 'off', true)).toBe('');
	});
});
