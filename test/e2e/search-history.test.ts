import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve --demo`, on a run of 50,000
 * lines this test writes, held with `--scrollback 1000`: a word logged once, near the run's start, is
 * found with `s` word Enter and `N` (no match among the lines held, so the server searches the run), and
 * the screen shows that line with the status bar's `match 1 of 1 in the run`.
 */

const root = path.resolve(import.meta.dirname, '../..');
const RUN = 50_000;
const BATCH = 10_000;
const WORD = 'quetzalcoatl';
const AT = 7;
// A port of its own (19300-19399 is this test's range), so nothing else on the machine answers for it.
const PORT = 19_317;

describe('dbtail viewer search of the history in tmux', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-search-'));
		server = await startServeProcess(path.join(work, 'e2e.db'), ['--demo', '--rate', '50'], {port: PORT});
		const lines = (from: number) =>
			Array.from({length: BATCH}, (_, index) => (from + index === AT ? `line ${AT} ${WORD}` : `line ${from + index}`));
		const {runId} = await ingest(server.url, undefined, {automationId: 'hunt'}, lines(1));
		for (let from = BATCH + 1; from <= RUN; from += BATCH) {
			await ingest(server.url, undefined, runId, lines(from));
		}

		session = await TmuxSession.start({
			command: `node bin/dbtail.js --server ${server.url} --scrollback 1000 --timestamps none automation/hunt; read _`,
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

	test('s word Enter, then N finds the one match older than what is held: line 7, match 1 of 1 in the run', async () => {
		await session.waitFor((screen) => /\bline 50000\s*$/m.test(screen) && screen.includes('1,000 buffered'), {timeoutMs: 20_000});
		await session.sendKeys('s');
		await session.type(WORD);
		await session.sendKeys('Enter');
		// None of the 1,000 lines held matches.
		await session.waitFor(`search "${WORD}" 0 hits`);
		await session.sendKeys('N');
		const screen = await session.waitFor(
			(current) => current.includes(`line ${AT} ${WORD}`) && current.includes('match 1 of 1 in the run'),
			{timeoutMs: 20_000},
		);
		// The lines around it are loaded, and the status bar says where the cursor is in the run.
		expect(screen).toMatch(/\bline 8\s*$/m);
		expect(screen).toContain(`line ${AT} of`);
	});
});
