import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import type {TmuxSession} from '../helpers/tmux.js';
import {ingestLongRun, startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve --demo`, on a run of 50,000
 * lines this test writes, held with `--scrollback 1000`: a word logged once, near the run's start, is
 * found with `s` word Enter and `N` (no match among the lines held, so the server searches the run), and
 * the screen shows that line with the status bar's `match 1 of 1 in the run`.
 */

const RUN = 50_000;
const WORD = 'quetzalcoatl';
const AT = 7;
// A port of its own (19300-19399 is this test's range), so nothing else on the machine answers for it.
const PORT = 19_317;

describe('dbtail viewer search of the history in tmux', () => {
	let fixture: ViewerFixture;
	let session: TmuxSession;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'search',
			serveArgs: ['--demo', '--rate', '50'],
			port: PORT,
			async seed(url) {
				await ingestLongRun(url, 'hunt', RUN, (n) => (n === AT ? `line ${AT} ${WORD}` : `line ${n}`));
			},
			viewerArgs: '--scrollback 1000 --timestamps none automation/hunt',
		});
		({session} = fixture);
	}, 60_000);

	afterAll(async () => fixture?.stop());

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
