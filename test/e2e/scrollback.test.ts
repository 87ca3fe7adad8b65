import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve --demo`, on a run of 50,000
 * lines this test writes, with `--scrollback 1000`: `g` reads the run's first line from the server, the status
 * bar says where the cursor is in the run, and `G` comes back to live, lines logged meanwhile included.
 */

const root = path.resolve(import.meta.dirname, '../..');
const RUN = 50_000;
const BATCH = 10_000;

/** A log row whose message is exactly `line n` (not `line n0…`). */
const row = (n: number) => new RegExp(`\\bline ${n}\\s*$`, 'm');

describe('dbtail viewer scrollback in tmux', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;
	let runId: string;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-scrollback-'));
		server = await startServeProcess(path.join(work, 'e2e.db'), ['--demo', '--rate', '50']);
		const lines = (from: number) => Array.from({length: BATCH}, (_, index) => `line ${from + index}`);
		({runId} = await ingest(server.url, undefined, {automationId: 'scroll'}, lines(1)));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from));
		}

		session = await TmuxSession.start({
			command: `node bin/dbtail.js --server ${server.url} --scrollback 1000 --timestamps none automation/scroll; read _`,
			width: 100,
			height: 30,
			cwd: root,
		});
	}, 60_000);

	afterAll(async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test('g goes to line 1 of the run, read from the server; the status bar says line 1 of 50,000', async () => {
		await session.waitFor((screen) => row(RUN).test(screen) && screen.includes('1,000 buffered'), {timeoutMs: 20_000});
		await session.sendKeys('g');
		const screen = await session.waitFor((current) => row(1).test(current) && current.includes('line 1 of 50,000'), {timeoutMs: 15_000});
		expect(screen).toMatch(row(2));
		expect(screen).not.toContain('earlier lines not held');
		// Keys land as ever: a line down, and the status bar follows.
		await session.sendKeys('j');
		await session.waitFor('line 2 of 50,000');
	});

	test('G comes back to live, with a line logged while the pane was away', async () => {
		await ingest(server.url, undefined, runId, [`line ${RUN + 1}`]);
		await session.sendKeys('G');
		const screen = await session.waitFor(row(RUN + 1), {timeoutMs: 15_000});
		expect(screen).toMatch(row(RUN));
		expect(screen).not.toContain('not following');
		await ingest(server.url, undefined, runId, [`line ${RUN + 2}`]);
		await session.waitFor(row(RUN + 2));
	});
});
