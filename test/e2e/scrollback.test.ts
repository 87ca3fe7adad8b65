import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import type {ServeProcess} from '../helpers/serve-process.js';
import type {TmuxSession} from '../helpers/tmux.js';
import {ingestLongRun, startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve --demo`, on a run of 50,000
 * lines this test writes, with `--scrollback 1000`: `g` reads the run's first line from the server, the status
 * bar says where the cursor is in the run, and `G` comes back to live, lines logged meanwhile included.
 */

const RUN = 50_000;

/** A log row whose message is exactly `line n` (not `line n0…`). */
const row = (n: number) => new RegExp(`\\bline ${n}\\s*$`, 'm');

describe('dbtail viewer scrollback in tmux', () => {
	let fixture: ViewerFixture;
	let server: ServeProcess;
	let session: TmuxSession;
	let runId: string;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'scrollback',
			serveArgs: ['--demo', '--rate', '50'],
			async seed(url) {
				runId = await ingestLongRun(url, 'scroll', RUN, (n) => `line ${n}`);
			},
			viewerArgs: '--scrollback 1000 --timestamps none automation/scroll',
		});
		({server, session} = fixture);
	}, 60_000);

	afterAll(async () => fixture?.stop());

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
