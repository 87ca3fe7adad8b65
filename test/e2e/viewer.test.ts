import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {waitForSources} from '../../source/commands/demo.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession, trimScreen} from '../helpers/tmux.js';

/*
 * The real `dbtail` (built dist/) in a real terminal (tmux), against a real `dbtail serve --demo` process:
 * keys typed with send-keys, the screen read with capture-pane, every wait bounded by a deadline. The
 * first pane follows a run this test writes, so what must appear (or not) is known line by line; the
 * other two follow the demo workload. At 120x36 the three panes are stacked, one title row each.
 */

const root = path.resolve(import.meta.dirname, '../..');
const SOURCES = ['automation/e2e', 'task/extract', 'artifact/report-csv'];

/** The log rows of the pane whose title names `source`: from its title row to the next title (or status bar). */
function paneRows(screen: string, source: string): string[] {
	const rows = screen.split('\n');
	const titles = rows.flatMap((row, index) => (SOURCES.some(name => row.includes(` ${name} `)) ? [index] : []));
	const start = rows.findIndex(row => row.includes(` ${source} `));
	if (start < 0) {return [];}
	const end = titles.find(index => index > start) ?? rows.length - 2;
	return rows.slice(start + 1, end).map(row => row.trimEnd());
}

/** The status bar: the focused pane's connection and counters. */
const STATUS_BAR = /^live(, quiet \S+)? · .*lines?\/s · .*buffered/m;

/** The filter prompt on the last row while it takes keys. */
const FILTER_PROMPT = /^\/.*Enter keep · Esc clear/m;

const rowWith = (screen: string, text: string) => paneRows(screen, SOURCES[0]!).find(row => row.includes(text));

describe('dbtail viewer in tmux', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession;
	let runId: string;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-'));
		server = await startServeProcess(path.join(work, 'e2e.db'), ['--demo', '--rate', '100']);
		// Demo tasks and artifacts exist from their first line on; a stream of an unknown one is a 404.
		await waitForSources(server.url, SOURCES.slice(1), 20_000);
		runId = await createRun(server.url, undefined, {automationId: 'e2e', name: 'end to end'});
		await ingest(server.url, undefined, runId, ['alpha 1', 'beta 2', {level: 'ERROR', message: 'gamma 3'}]);
		// The shell prints a line first and the viewer's exit status last: after `q` both must be on the
		// primary screen, the viewer's frames gone with the alternate screen. `read` keeps the pane open.
		session = await TmuxSession.start({
			command: `printf 'shell before dbtail\\n'; node bin/dbtail.js --server ${server.url} ${SOURCES.join(' ')}; echo "dbtail exited with $?"; read _`,
			width: 120,
			height: 36,
			cwd: root,
		});
	});

	afterAll(async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test('shows one pane per source, each with live lines', async () => {
		const screen = await session.waitFor(
			current => SOURCES.every(source => current.includes(source)) && rowWith(current, 'gamma 3') !== undefined,
		);
		expect(screen).toContain('live');
		expect(rowWith(screen, 'gamma 3')).toContain('ERROR');
		// New lines appear as they are written: ours, and the demo workload's in the other panes.
		await ingest(server.url, undefined, runId, ['delta 4']);
		await session.waitFor(current => rowWith(current, 'delta 4') !== undefined);
		const extract = paneRows(screen, 'task/extract').join('\n');
		await session.waitFor(current => paneRows(current, 'task/extract').join('\n') !== extract);
	});

	test('/ filters the focused pane by regex, live; Esc clears it', async () => {
		// As a user does: press /, see the prompt, type.
		await session.sendKeys('/');
		await session.waitFor(FILTER_PROMPT);
		await session.type('alpha|gamma');
		const live = await session.waitFor(current => rowWith(current, 'beta 2') === undefined && rowWith(current, 'alpha 1') !== undefined);
		expect(live).toMatch(FILTER_PROMPT);
		await session.sendKeys('Enter');
		const filtered = await session.waitFor(current => !FILTER_PROMPT.test(current));
		expect(rowWith(filtered, 'alpha 1')).toBeDefined();
		expect(rowWith(filtered, 'gamma 3')).toBeDefined();
		expect(rowWith(filtered, 'beta 2')).toBeUndefined();
		expect(rowWith(filtered, 'delta 4')).toBeUndefined();
		expect(filtered).toContain('/alpha|gamma/ 2 shown');

		await session.sendKeys('/');
		await session.waitFor(FILTER_PROMPT);
		await session.sendKeys('Escape');
		const cleared = await session.waitFor(current => rowWith(current, 'beta 2') !== undefined);
		expect(cleared).not.toContain('/alpha|gamma/');
	});

	test('Space pauses the pane while its stream keeps buffering, and resumes to live', async () => {
		await session.sendKeys('Space');
		await session.waitFor('PAUSED +0 new');
		await ingest(server.url, undefined, runId, ['held 1', 'held 2', 'held 3']);
		const paused = await session.waitFor('PAUSED +3 new');
		expect(rowWith(paused, 'held')).toBeUndefined();

		await session.sendKeys('Space');
		const resumed = await session.waitFor(current => rowWith(current, 'held 3') !== undefined);
		expect(resumed).not.toContain('PAUSED');
	});

	test('t cycles timestamps: relative, absolute (ms), iso, none', async () => {
		const relative = await session.waitFor(current => /(just now|\d+s ago)/.test(rowWith(current, 'alpha 1') ?? ''));
		expect(rowWith(relative, 'alpha 1')).toMatch(/^(just now|\d+s ago)\s+INFO\s+alpha 1/);

		await session.sendKeys('t');
		const absolute = await session.waitFor(current => /^\d\d:\d\d:\d\d\.\d{3}\s+INFO/.test(rowWith(current, 'alpha 1') ?? ''));
		expect(rowWith(absolute, 'gamma 3')).toMatch(/^\d\d:\d\d:\d\d\.\d{3}\s+ERROR\s+gamma 3/);

		await session.sendKeys('t');
		await session.waitFor(current => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\s+INFO/.test(rowWith(current, 'alpha 1') ?? ''));

		await session.sendKeys('t');
		const none = await session.waitFor(current => /^INFO\s+alpha 1/.test(rowWith(current, 'alpha 1') ?? ''));
		expect(rowWith(none, 'gamma 3')).toMatch(/^ERROR\s+gamma 3/);
	});

	test('follows a resize down to 80x24: every pane title and the status bar stay on screen', async () => {
		// Had the viewer kept its 36-row layout, tmux would cut it at row 24: the third pane and the
		// status bar would be gone.
		await session.resize(80, 24);
		const small = await session.waitFor(
			current =>
				SOURCES.every(source => current.includes(` ${source} `)) &&
				STATUS_BAR.test(current) &&
				rowWith(current, 'held 3') !== undefined,
		);
		const rows = trimScreen(small).split('\n');
		expect(rows.length).toBeLessThanOrEqual(24);
		expect(rows.at(-1)).toMatch(STATUS_BAR);
		await session.resize(120, 36);
		await session.waitFor(current => trimScreen(current).split('\n').length > 24 && STATUS_BAR.test(current));
	});

	test('q quits with status 0 and gives the terminal back as it was', async () => {
		await session.sendKeys('q');
		const screen = await session.waitFor('dbtail exited with');
		expect(screen).toContain('dbtail exited with 0');
		expect(screen).toContain('shell before dbtail');
		expect(screen).not.toContain('automation/e2e');
		// Back on the primary screen, with the cursor shown again (Ink hides it while drawing), and the
		// terminal in cooked mode: the shell's `read` gets a whole line and the pane's shell ends.
		expect(await session.format('#{alternate_on} #{cursor_flag}')).toBe('0 1');
		await session.sendKeys('Enter');
		await session.waitForExit();
	});
});
