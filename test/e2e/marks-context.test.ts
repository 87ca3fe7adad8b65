import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import type {TmuxSession} from '../helpers/tmux.js';
import {startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve`, on a run of 40 lines with
 * "hit" on lines 10, 12 and 30: C shows 3 and then 10 lines of context around the filter's matches with
 * grep's -- between groups, m marks the cursor line with a mark in the gutter, u and U go to the marks
 * (the status bar's `line N of 40` says where the cursor is), and the marks outlive a filter change. With
 * --quiet-mark 2, a live line after the title has said `quiet 3s` comes after a `── quiet 5s ──` rule.
 */

/** The port of this test's server, in the range given to this file's author. */
const PORT = 20_010;
const HITS = new Set([10, 12, 30]);

/** A log row whose message is exactly `text` (not `line 1` in `line 12`). */
const row = (text: string) => new RegExp(`INFO  ${text}\\s*$`, 'm');
/** The rows of the pane's text, without the time column, the level and trailing blanks. */
const texts = (screen: string) =>
	screen
		.split('\n')
		.slice(1, -2)
		.map((line) => line.replace(/^[▌ ]?INFO {2}/, '').trim())
		.filter((line) => line !== '');

describe('C and m / u / U in tmux', () => {
	let fixture: ViewerFixture;
	let session: TmuxSession;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'marks-context',
			port: PORT,
			async seed(url) {
				await ingest(url, undefined, {automationId: 'marks'}, Array.from({length: 40}, (_, index) => ({level: 'INFO', message: HITS.has(index + 1) ? `hit ${index + 1}` : `line ${index + 1}`})));
			},
			viewerArgs: '--timestamps none automation/marks',
		});
		({session} = fixture);
	}, 60_000);

	afterAll(async () => {
		await fixture?.stop();
	});

	test('C cycles the context around the matches, with -- between groups and the count in the status bar', async () => {
		await session.waitFor(row('line 40'), {timeoutMs: 20_000});
		await session.sendKeys('/');
		await session.waitFor('Enter keep');
		await session.type('hit');
		await session.sendKeys('Enter');
		let screen = await session.waitFor('/hit/ 3 shown');
		expect(texts(screen)).toEqual(['hit 10', 'hit 12', 'hit 30']);
		await session.sendKeys('C');
		screen = await session.waitFor((current) => current.includes('context 3') && current.includes('/hit/ 3 matching'));
		expect(texts(screen)).toEqual([
			'line 7', 'line 8', 'line 9', 'hit 10', 'line 11', 'hit 12', 'line 13', 'line 14', 'line 15',
			'--',
			'line 27', 'line 28', 'line 29', 'hit 30', 'line 31', 'line 32', 'line 33',
		]);
		await session.sendKeys('C');
		screen = await session.waitFor('context 10');
		// 10 lines around 10, 12 and 30 make one group: lines 1 to 40.
		expect(texts(screen)).not.toContain('--');
		expect(screen).toMatch(row('line 20'));
		await session.sendKeys('C');
		screen = await session.waitFor((current) => !current.includes('context 1') && !current.includes('context 3'));
		expect(texts(screen)).toEqual(['hit 10', 'hit 12', 'hit 30']);
	});

	test('m marks lines in the gutter, u and U go between them, and they outlive a filter change', async () => {
		// Esc in the filter's prompt clears the filter.
		await session.sendKeys('/');
		await session.waitFor('Enter keep');
		await session.sendKeys('Escape');
		await session.waitFor((current) => row('line 40').test(current) && !current.includes('/hit/'));
		// Up from live to line 38, marked; then line 33.
		await session.sendKeys('k', 'k', 'm');
		let screen = await session.waitFor((current) => current.includes('1 mark') && current.includes('line 38 of 40'));
		expect(screen).toMatch(/^▌INFO {2}line 38\s*$/m);
		expect(screen).toMatch(/^ INFO {2}line 37\s*$/m);
		await session.sendKeys('k', 'k', 'k', 'k', 'k', 'm');
		await session.waitFor((current) => current.includes('2 marks') && current.includes('line 33 of 40'));
		await session.sendKeys('g');
		await session.waitFor('line 1 of 40');
		await session.sendKeys('u');
		await session.waitFor('line 33 of 40');
		await session.sendKeys('u');
		await session.waitFor('line 38 of 40');
		await session.sendKeys('u');
		await session.waitFor('no later mark shown');
		await session.sendKeys('U');
		await session.waitFor('line 33 of 40');
		// A filter that hides line 33: U from the newest line steps over it to nothing, the marks kept.
		await session.sendKeys('/');
		await session.waitFor('Enter keep');
		await session.type('line 3[89]');
		await session.sendKeys('Enter');
		screen = await session.waitFor((current) => current.includes('2 shown') && current.includes('2 marks'));
		expect(screen).toMatch(/^▌INFO {2}line 38\s*$/m);
		await session.sendKeys('/');
		await session.waitFor('Enter keep');
		await session.sendKeys('Escape');
		await session.waitFor((current) => !current.includes('2 shown'));
		await session.sendKeys('g', 'u');
		screen = await session.waitFor('line 33 of 40');
		expect(screen).toMatch(/^▌INFO {2}line 33\s*$/m);
	});
});

describe('quiet marks in tmux', () => {
	let fixture: ViewerFixture;
	let session: TmuxSession;
	let runId: string;
	let url: string;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'quiet-marks',
			port: PORT + 1,
			async seed(server) {
				({runId} = await ingest(server, undefined, {automationId: 'quiet'}, ['first line']));
			},
			viewerArgs: '--timestamps none --quiet-mark 2 automation/quiet',
		});
		({session} = fixture);
		url = fixture.server.url;
	}, 60_000);

	afterAll(async () => {
		await fixture?.stop();
	});

	test('a live line after more than --quiet-mark seconds of quiet comes after a dim rule that says how long', async () => {
		await session.waitFor(row('first line'), {timeoutMs: 20_000});
		// A live line, then the title's own quiet time says the pause has passed 2 s: no fixed wait.
		await ingest(url, undefined, runId, ['before the pause']);
		await session.waitFor(row('before the pause'));
		await session.waitFor(/quiet [3-9]s/);
		await ingest(url, undefined, runId, ['after the pause']);
		const screen = await session.waitFor(row('after the pause'));
		const lines = screen.split('\n');
		const after = lines.findIndex((line) => row('after the pause').test(line));
		expect(lines[after - 1], screen).toMatch(/^\s*── quiet \d+s ──\s*$/);
		expect(lines[after - 2]).toMatch(row('before the pause'));
	});
});
