import {execFileSync, spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync, readdirSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterEach, beforeEach, describe, expect, test} from 'vitest';
import {TmuxSession} from '../helpers/tmux.js';

/*
 * `dbtail demo` as a newcomer runs it (`npm start`): the built CLI in a real terminal. It must come up on
 * its three sources with the simulated workload flowing, and leave nothing behind on quit.
 */

const root = path.resolve(import.meta.dirname, '../..');
const bin = path.join(root, 'bin/dbtail.js');

describe('dbtail demo in tmux', () => {
	let temporary: string;
	let session: TmuxSession | undefined;

	beforeEach(() => {
		// The demo's throwaway database goes under TMPDIR: a private one shows whether it was removed.
		temporary = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-demo-'));
	});

	afterEach(async () => {
		await session?.kill();
		session = undefined;
		rmSync(temporary, {recursive: true, force: true});
	});

	test('opens the three demo sources with the workload flowing; q stops the server and removes its database', async () => {
		session = await TmuxSession.start({
			command: `node ${bin} demo --rate 200; echo "exit $?"`,
			width: 120,
			height: 36,
			cwd: root,
			env: {TMPDIR: temporary},
		});
		const first = await session.waitFor(
			screen =>
				['automation/nightly-etl', 'task/extract', 'artifact/report-csv'].every(source => screen.includes(source)) &&
				/\d buffered/.test(screen),
			{timeoutMs: 20_000},
		);
		expect(readdirSync(temporary).some(name => name.startsWith('dbtail-demo-'))).toBe(true);
		// Lines keep coming without a key being pressed: the focused pane's buffer grows.
		const buffered = (screen: string) => Number(/([\d,]+) buffered/.exec(screen)?.[1]?.replaceAll(',', '') ?? Number.NaN);
		await session.waitFor(screen => buffered(screen) > buffered(first) && /INFO|WARN|ERROR/.test(screen));

		await session.sendKeys('q');
		await session.waitFor('exit 0');
		expect(readdirSync(temporary)).toEqual([]);
	});

	test('--db keeps the database file and says where it is', async () => {
		const db = path.join(temporary, 'kept.db');
		session = await TmuxSession.start({command: `node ${bin} demo --rate 300 --db ${db}; echo "exit $?"`, width: 100, height: 30, cwd: root});
		await session.waitFor('automation/nightly-etl', {timeoutMs: 20_000});
		await session.sendKeys('q');
		const screen = await session.waitFor('exit 0');
		expect(screen).toContain(`the database is kept in ${db}`);
		expect(existsSync(db)).toBe(true);
	});

	test('SIGTERM gives the terminal back and still removes the database', async () => {
		session = await TmuxSession.start({
			command: `printf 'shell before demo\\n'; node ${bin} demo --rate 300; echo "exit $?"; read _`,
			width: 100,
			height: 30,
			cwd: root,
			env: {TMPDIR: temporary},
		});
		await session.waitFor(/\d buffered/, {timeoutMs: 20_000});
		// The pane's process is the shell; the demo is its only child.
		const demoPid = Number(execFileSync('pgrep', ['-P', String(await session.panePid())], {encoding: 'utf8'}).trim());
		process.kill(demoPid, 'SIGTERM');
		const screen = await session.waitFor(/exit \d+/);
		expect(screen).toContain('exit 143'); // 128 + SIGTERM: ended by the signal, as a shell expects.
		expect(screen).toContain('shell before demo');
		expect(await session.format('#{alternate_on} #{cursor_flag}')).toBe('0 1');
		expect(readdirSync(temporary)).toEqual([]);
	});

	test('without a terminal it says so before starting anything', () => {
		const result = spawnSync(process.execPath, [bin, 'demo'], {stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', env: {...process.env, TMPDIR: temporary}});
		expect(result.status).toBe(2);
		expect(result.stderr).toBe('dbtail: the demo opens the full-screen viewer and needs a terminal; for a server alone use "dbtail serve --demo"\n');
		expect(readdirSync(temporary)).toEqual([]);
	});

	test('a mistake in its flags is a one-line message and exit status 2', async () => {
		session = await TmuxSession.start({command: `node ${bin} demo --rate -5; echo "exit $?"`, width: 100, height: 10, cwd: root});
		const screen = await session.waitFor('exit 2');
		expect(screen).toContain('dbtail: --rate must be a number above 0');
		expect(screen).not.toContain('    at ');
	});
});
