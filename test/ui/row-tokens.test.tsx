import {render} from 'ink-testing-library';
import {describe, expect, it} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {App} from '../../source/ui/app.js';
import {expandRows, rowToken} from '../../source/ui/row-tokens.js';
import {runApp} from '../../source/ui/run-app.js';
import {homeAnchored} from '../../source/ui/terminal.js';
import {until} from '../helpers/until.js';
import {fakeTerminal} from './fake-terminal.js';
import {MemoryStream} from './memory-stream.js';
import {keys} from './render-viewer.js';
import {playScreen} from './screen-emulator.js';

function workspaceWith(...sources: string[]) {
	const streams = new Map<string, MemoryStream>();
	const workspace = new Workspace({
		server: 'http://dbtail.test',
		factory(name) {
			const stream = new MemoryStream(name);
			streams.set(name, stream);
			return stream;
		},
	});
	for (const source of sources) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
	return {workspace, stream: (name: string) => streams.get(name)!};
}

describe('row tokens', () => {
	it('name a row by its text: the same text the same token, another text another, expanded back whole', () => {
		const styled = '\u001B[2m12:00:01\u001B[22m \u001B[31mERROR\u001B[39m  a line';
		const token = rowToken(styled);
		expect(token).not.toContain('a line');
		expect(rowToken(styled)).toBe(token);
		expect(rowToken(`${styled}!`)).not.toBe(token);
		expect(expandRows(`\u001B[1G${token}\u001B[K\n${rowToken('next')}`)).toBe(`\u001B[1G${styled}\u001B[K\nnext`);
		expect(rowToken('')).toBe('');
	});

	it("reach Ink in place of the rows' text, so Ink never reads a log line into its cell grid", async () => {
		const {workspace, stream} = workspaceWith('task/a');
		workspace.resize({columns: 100, rows: 8});
		const instance = render(<App workspace={workspace} size={{columns: 100, rows: 8}} loadSources={async () => []} writeRaw={() => undefined} />);
		stream('task/a').log('a line only the pane shows');
		await until(() => expandRows(instance.lastFrame() ?? '').includes('a line only the pane shows'), 'the line drawn');
		expect(instance.lastFrame()).not.toContain('a line only the pane shows');
		instance.unmount();
	});
});

describe('a frame of rows only', () => {
	it('tells Ink the terminal is one column wide, and only then', () => {
		const terminal = fakeTerminal(120, 30);
		let only = false;
		const stream = homeAnchored(terminal.stdout as never, () => false, () => only);
		expect(stream.columns).toBe(120);
		only = true;
		expect(stream.columns).toBe(1);
		expect(stream.rows).toBe(31);
	});

	it('puts every row where it belongs through runApp: panes side by side, then the help and a prompt drawn by Ink at full width, then the panes again', async () => {
		const [columns, rows] = [120, 12];
		const terminal = fakeTerminal(columns, rows);
		const {workspace, stream} = workspaceWith('task/a', 'task/b');
		const running = runApp({workspace, loadSources: async () => [], stdout: terminal.stdout as never, stdin: terminal.stdin as never, notify: 'off'});
		const screen = () => playScreen(terminal.screen(), columns, rows);
		stream('task/a').log('left pane line');
		stream('task/b').log('right pane line');
		await until(() => screen().includes('right pane line') && screen().includes('left pane line'), 'both lines on screen');
		const panes = screen().split('\n');
		expect(panes).toHaveLength(rows);
		const row = panes.find((line) => line.includes('left pane line'))!;
		// Two panes side by side or one above the other: either way each line starts in its pane's first columns.
		expect(row.indexOf('left pane line')).toBeLessThan(30);
		terminal.type('?');
		await until(() => screen().includes('next/prev ERROR'), 'the help');
		// Ink lays the help out in two columns: with a one-column grid the gap between them would close up.
		const help = screen().split('\n').find((line) => line.includes('next/prev ERROR'))!;
		expect(help).toMatch(/^o x {11}open\/close {20,}e E {11}next\/prev ERROR$/);
		terminal.type(keys.escape);
		await until(() => screen().includes('left pane line') && !screen().includes('next/prev ERROR'), 'the panes again');
		terminal.type('/');
		terminal.type('pane');
		await until(() => screen().split('\n').at(-1)!.includes('pane'), 'the prompt');
		terminal.type(keys.escape);
		stream('task/a').log('a later line');
		await until(() => screen().includes('a later line'), 'a later line');
		expect(screen()).toContain('right pane line');
		terminal.type('q');
		expect(await running).toBe(0);
	});

	it('draws its rows with INK_SCREEN_READER=true in the environment (a setting for other Ink apps)', async () => {
		// Ink's screen-reader mode lays out text without <Transform>, which drew every row blank.
		const before = process.env['INK_SCREEN_READER'];
		process.env['INK_SCREEN_READER'] = 'true';
		const [columns, rows] = [80, 8];
		const terminal = fakeTerminal(columns, rows);
		const {workspace, stream} = workspaceWith('task/a');
		const running = runApp({workspace, loadSources: async () => [], stdout: terminal.stdout as never, stdin: terminal.stdin as never, notify: 'off'});
		let exitCode: number | undefined;
		try {
			stream('task/a').log('a line for everyone');
			await until(() => playScreen(terminal.screen(), columns, rows).includes('a line for everyone'), 'the line on screen');
			expect(playScreen(terminal.screen(), columns, rows).split('\n')[0]).toContain('task/a');
		} finally {
			// Quit on every path: a failed wait would leave the app holding the test's process open.
			terminal.type('q');
			exitCode = await running;
			if (before === undefined) {
				delete process.env['INK_SCREEN_READER'];
			} else {
				process.env['INK_SCREEN_READER'] = before;
			}
		}

		expect(exitCode).toBe(0);
	});

	it('draws the too-small notice whole through runApp', async () => {
		const terminal = fakeTerminal(15, 3);
		const {workspace} = workspaceWith('task/a');
		const running = runApp({workspace, loadSources: async () => [], stdout: terminal.stdout as never, stdin: terminal.stdin as never, notify: 'off'});
		await until(() => playScreen(terminal.screen(), 15, 3).includes('needs 21x3'), 'the notice');
		expect(playScreen(terminal.screen(), 15, 3)).toBe('too small\n(15x3): dbtail\nneeds 21x3');
		terminal.type('q');
		expect(await running).toBe(0);
	});
});
