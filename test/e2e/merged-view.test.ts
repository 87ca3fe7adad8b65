import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import type {TmuxSession} from '../helpers/tmux.js';
import {startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * `M` in tmux: the real viewer (built dist/) at 100x30 on two panes against a real `dbtail serve`, fed over
 * HTTP. The merged view interleaves both runs by the lines' times, its filter is its own, a slower
 * stream's late line is placed by time without moving a cursor above the live end, and M / Esc go back.
 */

const BASE = Date.parse('2026-11-20T10:00:00.000Z');
/** The port of this test's server, in the range given to this file's author. */
const PORT = 20_100;
const at = (second: number) => new Date(BASE + second * 1000).toISOString();
/** The body rows of the screen that are log lines: `n LEVEL text`, spaces squeezed. */
const logRows = (screen: string) =>
	screen
		.split('\n')
		.map((row) => row.trim().replaceAll(/\s+/g, ' '))
		.filter((row) => /^\d (INFO|WARN|ERROR) /.test(row));

describe('M in tmux: one merged timeline of two panes', () => {
	let fixture: ViewerFixture;
	let session: TmuxSession;
	let alpha: string;
	let beta: string;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'merged-view',
			port: PORT,
			async seed(url) {
				// Alpha logs on even seconds, beta on odd ones: merged, they alternate.
				({runId: alpha} = await ingest(url, undefined, {automationId: 'alpha'}, Array.from({length: 30}, (_, index) => ({level: 'INFO', message: `alpha ${index + 1}`, timestamp: at(20 + index * 2)}))));
				({runId: beta} = await ingest(url, undefined, {automationId: 'beta'}, Array.from({length: 30}, (_, index) => ({level: index === 4 ? 'WARN' : 'INFO', message: `beta ${index + 1}`, timestamp: at(21 + index * 2)}))));
			},
			viewerArgs: '--timestamps none automation/alpha automation/beta',
			width: 100,
			height: 30,
		});
		({session} = fixture);
	}, 60_000);

	afterAll(async () => {
		await fixture?.stop();
	});

	test('M interleaves the two panes by time, each line behind its pane number; / filters there only; M goes back', async () => {
		await session.waitFor((screen) => /alpha 30\s/.test(screen) && /beta 30\s/.test(screen), {timeoutMs: 20_000});
		await session.sendKeys('M');
		// 60 lines, the newest 28 on screen (30 rows less the title and the status bar).
		const merged = await session.waitFor((screen) => screen.includes('M merged: 2 panes by time') && logRows(screen).length === 28);
		expect(logRows(merged).slice(0, 4)).toEqual(['1 INFO alpha 17', '2 INFO beta 17', '1 INFO alpha 18', '2 INFO beta 18']);
		expect(logRows(merged).at(-1)).toBe('2 INFO beta 30');

		await session.sendKeys('/');
		await session.type('beta [0-9]$');
		await session.sendKeys('Enter');
		const filtered = await session.waitFor((screen) => screen.includes('/beta [0-9]$/') && logRows(screen).length === 9);
		expect(logRows(filtered)).toContain('2 WARN beta 5');
		await session.sendKeys('M');
		// The panes, each with all its lines: the filter was the merged view's.
		await session.waitFor((screen) => !screen.includes('M merged') && /alpha 30\s/.test(screen) && /beta 30\s/.test(screen));
		await session.sendKeys('M');
		await session.waitFor('/beta [0-9]$/');
		await session.sendKeys('/', 'C-u', 'Enter');
		await session.waitFor((screen) => screen.includes('M merged') && !screen.includes('/beta') && logRows(screen).length === 28);
	});

	test('a late line from the slower run is placed by time and a cursor above the live end stays on its line; G and g; Esc goes back', async () => {
		await session.sendKeys('g');
		const before = await session.waitFor((screen) => screen.includes('32 below') && logRows(screen)[0] === '1 INFO alpha 1');
		// Beta's line from before any other, and one line newer than all: only the newer one is counted below.
		await ingest(fixture.server.url, undefined, beta, [{level: 'ERROR', message: 'beta late', timestamp: at(1)}]);
		await ingest(fixture.server.url, undefined, alpha, [{level: 'INFO', message: 'alpha newest', timestamp: at(90)}]);
		const after = await session.waitFor((screen) => screen.includes('33 below'), {timeoutMs: 15_000});
		// The late line went in above the cursor (on alpha 1): the screen did not move.
		expect(logRows(after)).toEqual(logRows(before));
		await session.sendKeys('G');
		await session.waitFor((screen) => logRows(screen).at(-1) === '1 INFO alpha newest');
		await session.sendKeys('g');
		await session.waitFor((screen) => logRows(screen)[0] === '2 ERROR beta late' && logRows(screen)[1] === '1 INFO alpha 1');
		await session.sendKeys('e');
		await session.waitFor('no later ERROR line');
		await session.sendKeys('Escape');
		await session.waitFor((screen) => !screen.includes('M merged') && screen.includes('beta late'));
	});
});
