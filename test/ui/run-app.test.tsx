import {afterEach, describe, expect, it, vi} from 'vitest';
import {Workspace} from '../../source/model/workspace.js';
import {runApp} from '../../source/ui/run-app.js';
import {fakeTerminal} from './fake-terminal.js';
import {MemoryStream} from './memory-stream.js';

function workspaceWith(source: string) {
	let stream: MemoryStream | undefined;
	const workspace = new Workspace({
		server: 'http://dbtail.test',
		factory(name) {
			stream = new MemoryStream(name);
			return stream;
		},
	});
	workspace.open(source);
	return {workspace, stream: () => stream!};
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) {
			throw new Error('condition not met in time');
		}

		await new Promise((resolve) => setTimeout(resolve, 10));
	}
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('runApp gives the terminal back', () => {
	it('on q: alternate screen left, cursor shown, streams closed, exit 0', async () => {
		const terminal = fakeTerminal();
		const {workspace, stream} = workspaceWith('task/a');
		const running = runApp({workspace, loadSources: async () => [], stdout: terminal.stdout as never, stdin: terminal.stdin as never});
		await until(() => terminal.screen().includes('task/a'));
		expect(terminal.writes[0]).toBe('\u001B[?1049h\u001B[?25l\u001B[?2004h\u001B[?1000h\u001B[?1006h\u001B[H');
		terminal.type('q');
		expect(await running).toBe(0);
		expect(terminal.screen().endsWith('\u001B[?1006l\u001B[?1000l\u001B[?2004l\u001B[?25h\u001B[?1049l')).toBe(true);
		expect(stream().closed).toBe(true);
	});

	it('on an error while drawing: restores the screen first, then prints the error, exit 1', async () => {
		const terminal = fakeTerminal();
		const {workspace, stream} = workspaceWith('task/a');
		const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
		const running = runApp({workspace, loadSources: async () => [], stdout: terminal.stdout as never, stdin: terminal.stdin as never});
		await until(() => terminal.screen().includes('task/a'));
		// A server that sends a run id that is not a string makes the title throw while rendering.
		stream().run({runId: 42 as unknown as string, status: 'running'});
		workspace.changed(true);
		expect(await running).toBe(1);
		expect(terminal.screen().endsWith('\u001B[?1006l\u001B[?1000l\u001B[?2004l\u001B[?25h\u001B[?1049l')).toBe(true);
		expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toMatch(/viewer stopped on an unexpected error:\n.*TypeError/);
	});
});
