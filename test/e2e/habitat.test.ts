import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createRun, ingest, ingestOnNewConnection} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * The viewer where it lives: a real tmux, keys sent one per send-keys (as an ssh link delivers bursts), a
 * source that appears after the viewer opened, the server gone and back, Ctrl-Z and fg in a real shell, and
 * the mouse wheel. The built viewer against a real `dbtail serve` process.
 */

const root = path.resolve(import.meta.dirname, '../..');

describe('the viewer in its habitat', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-habitat-'));
		server = await startServeProcess(path.join(work, 'habitat.db'));
		const now = await createRun(server.url, undefined, {automationId: 'now'});
		await ingest(server.url, undefined, now, Array.from({length: 60}, (_, i) => `now line ${i + 1}`));
		// An interactive shell, so Ctrl-Z stops a job and fg brings it back.
		session = await TmuxSession.start({command: "exec env PS1='shell$ ' bash --norc --noprofile -i", width: 120, height: 30, cwd: root});
		await session.waitFor('shell$');
		await session.type(`node bin/dbtail.js --server ${server.url} automation/now automation/later`);
		await session.sendKeys('Enter');
	});

	afterAll(async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test('a source that does not exist yet is waited for, and streams once it appears', async () => {
		await session.waitFor((screen) => /waiting/.test(screen) && screen.includes('now line 60'));
		const later = await createRun(server.url, undefined, {automationId: 'later'});
		await ingest(server.url, undefined, later, ['appeared at last']);
		await session.waitFor('appeared at last');
	});

	test('keys typed one per send-keys land in both prompts as typed', async () => {
		const typeSlowly = async (text: string) => {
			for (const char of text) {
				await session.tmux('send-keys', '-t', session.target, '-l', char);
			}
		};

		await session.sendKeys('/');
		await typeSlowly('etl');
		await session.sendKeys('BSpace', 'BSpace', 'BSpace');
		await typeSlowly('now line 5');
		await session.waitFor(/^\/ now line 5/m);
		await session.sendKeys('Enter');
		await session.waitFor('/now line 5/ 11 shown');
		await session.sendKeys('/', 'C-u', 'Enter');
		await session.sendKeys('o');
		await session.waitFor('Open a source');
		await typeSlowly('etl');
		await session.sendKeys('BSpace', 'BSpace', 'BSpace');
		await typeSlowly('all');
		await session.waitFor(/^> all/m);
		await session.sendKeys('Escape');
		await session.waitFor((screen) => !screen.includes('Open a source'));
	});

	test('the mouse wheel scrolls the pane under the pointer', async () => {
		// What a terminal sends for a wheel notch up over row 5, column 10 (SGR mouse mode).
		await session.tmux('send-keys', '-t', session.target, '-l', '\u001B[<64;10;5M');
		await session.waitFor('not following');
		await session.sendKeys('G');
		await session.waitFor((screen) => !screen.includes('not following'));
	});

	test('the server gone for a while and back: every pane is live again within 3 s of it answering', async () => {
		const {port} = server;
		await server.stop('SIGKILL');
		await session.waitFor((screen) => (screen.match(/reconnecting/g) ?? []).length >= 1, {timeoutMs: 15_000});
		// Long enough for a backoff to have grown.
		await new Promise((resolve) => setTimeout(resolve, 8000));
		server = await startServeProcess(path.join(work, 'habitat.db'), [], {port});
		const answered = Date.now();
		await session.waitFor((screen) => (screen.match(/● live/g) ?? []).length === 2, {timeoutMs: 3000});
		expect(Date.now() - answered).toBeLessThan(3000);
		const now = await ingestOnNewConnection(server.url, undefined, 'r-1', ['after the outage']);
		expect(now.count).toBe(1);
		await session.waitFor('after the outage');
	}, 40_000);

	test('Ctrl-Z gives the shell back, fg brings the viewer back whole', async () => {
		await session.sendKeys('C-z');
		await session.waitFor(/Stopped[\s\S]*^shell\$\s*$/m);
		await session.type('fg');
		await session.sendKeys('Enter');
		await session.waitFor((screen) => screen.includes('automation/now') && screen.includes('after the outage'));
		await session.sendKeys('q');
		await session.waitFor('shell$');
	});
});
