import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {ingest} from '../helpers/ingest.js';
import type {ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';
import {ingestLongRun, startViewerFixture, type ViewerFixture} from '../helpers/viewer-fixture.js';

/*
 * The real `dbtail` (built dist/) in tmux at 100x30 against a real `dbtail serve`, on a run of 50,000 lines
 * logged one a second from 2026-11-20 00:00 UTC, held with `--scrollback 1000`, the viewer in UTC: `T` with
 * a clock time reads that part of the run from the server and puts the cursor on the line, and a time past
 * the newest line leaves the view where it is.
 */

const root = path.resolve(import.meta.dirname, '../..');
const RUN = 50_000;
const BASE = Date.parse('2026-11-20T00:00:00.000Z');
/** The port of this test's server, in the range given to this file's author. */
const PORT = 19_110;

/** A log row whose message is exactly `line n` (not `line n0…`). */
const row = (n: number) => new RegExp(`\\bline ${n}\\s*$`, 'm');

describe('T in tmux: a time anywhere in a long run', () => {
	let fixture: ViewerFixture;
	let server: ServeProcess;
	let session: TmuxSession;
	let tasks: TmuxSession | undefined;

	beforeAll(async () => {
		fixture = await startViewerFixture({
			name: 'jump-time',
			port: PORT,
			async seed(url) {
				await ingestLongRun(url, 'clock', RUN, (n) => ({level: 'INFO', message: `line ${n}`, timestamp: new Date(BASE + n * 1000).toISOString()}));
				// A task whose first ERROR is its line 3 of 3,000: older than the tail its stream starts with.
				await ingest(url, undefined, {automationId: 'etl'}, Array.from({length: 3000}, (_, index) => (index === 2 ? {level: 'ERROR', message: 'load failed: timeout', taskId: 'load'} : {level: 'INFO', message: `load ${index + 1}`, taskId: 'load'})));
			},
			viewerArgs: '--scrollback 1000 --timestamps none automation/clock',
			env: {TZ: 'UTC'},
		});
		({server, session} = fixture);
	}, 60_000);

	afterAll(async () => {
		await tasks?.kill();
		await fixture?.stop();
	});

	test('T 06:00 goes to line 21,600, read from the server; the status bar says so, and the lines around it are there', async () => {
		await session.waitFor((screen) => row(RUN).test(screen) && screen.includes('1,000 buffered'), {timeoutMs: 20_000});
		await session.sendKeys('T');
		await session.waitFor('time:');
		await session.type('06:00');
		await session.sendKeys('Enter');
		// 06:00 UTC is 21,600 seconds into the day: line 21,600, on the day of the cursor line.
		const screen = await session.waitFor((current) => row(21_600).test(current) && current.includes('2026-11-20 06:00:00 → line 21,600'), {timeoutMs: 15_000});
		// A third down the screen: the lines before it show above it.
		expect(screen).toMatch(row(21_599));
		expect(screen).toMatch(row(21_601));
		await session.sendKeys('j');
		await session.waitFor('line 21,601 of 50,000');
	});

	test('a time that is not one is named and the prompt stays; a time past the newest line leaves the view where it is', async () => {
		await session.type('T25:00');
		await session.sendKeys('Enter');
		await session.waitFor('not a time: "25:00"');
		await session.sendKeys('C-u');
		// After `--`, tmux reads -10m as keys to send, not as its own flags.
		await session.sendKeys('--', '-10m');
		await session.sendKeys('Enter');
		// Within 10 minutes after midnight, -10m is yesterday: the label then has its date.
		const screen = await session.waitFor(/no line at or after (\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d/, {timeoutMs: 15_000});
		expect(screen).toMatch(row(21_601));
		expect(screen).not.toContain('time:');
	});

	test('i, then Enter on a task, opens it at its first ERROR although that line is older than its stream\'s tail', async () => {
		tasks = await TmuxSession.start({
			command: `node bin/dbtail.js --server ${server.url} --scrollback 1000 --timestamps none automation/etl; read _`,
			width: 100,
			height: 30,
			cwd: root,
			env: {TZ: 'UTC'},
		});
		await tasks.waitFor((screen) => screen.includes('load 3000') && screen.includes('● live'), {timeoutMs: 20_000});
		await tasks.sendKeys('i');
		await tasks.waitFor('└─ load', {timeoutMs: 15_000});
		await tasks.sendKeys('Enter');
		// The cursor's line, read from the server around it: the status bar says where it is in the run.
		const screen = await tasks.waitFor((current) => current.includes('line 3 of the run') && current.includes('load failed: timeout'), {timeoutMs: 15_000});
		expect(screen).toMatch(/\bload 2\s*$/m);
		expect(screen).toMatch(/\bload 4\s*$/m);
	});
});
