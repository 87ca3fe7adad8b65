import {execFileSync} from 'node:child_process';
import {mkdirSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import {delay, TmuxSession} from '../test/helpers/tmux.js';
import {ansiToSvg} from './ansi-to-svg.js';

/*
 * `npm run screenshots`: runs the real `dbtail demo` (built dist/) in a private tmux server,
 * presses keys as a user would, captures the screen with its colors (capture-pane -e) and writes SVGs to
 * screenshots/. Nothing is drawn by hand: rerun it after a UI change and commit what it writes.
 */

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'screenshots');
const [WIDTH, HEIGHT] = [120, 36];

/** Rows with something on them: the demo has had time to fill its panes. */
function filledRows(screen: string): number {
	return screen.split('\n').filter(row => row.trim().length > 20).length;
}

async function shoot(session: TmuxSession, name: string, title: string, columns: number, rows: number): Promise<void> {
	// Let one more frame land (the viewer draws at most 30 per second) so the capture is not mid-update.
	await delay(120);
	const screen = await session.capture({escapes: true});
	writeFileSync(path.join(out, `${name}.svg`), ansiToSvg(screen, {columns, rows, title}));
	process.stdout.write(`screenshots/${name}.svg\n`);
}

async function main(): Promise<void> {
	execFileSync('npm', ['run', '--silent', 'build'], {cwd: root, stdio: 'inherit'});
	mkdirSync(out, {recursive: true});
	const session = await TmuxSession.start({
		command: 'node bin/dbtail.js demo; echo "dbtail demo exited with $?"',
		width: WIDTH,
		height: HEIGHT,
		cwd: root,
		// The 16 named colors the viewer uses, drawn by the converter's palette.
		env: {FORCE_COLOR: '1', TZ: 'UTC'},
	});
	try {
		const title = (size: string) => `dbtail demo (${size})`;
		await session.waitFor(screen => filledRows(screen) > HEIGHT - 8, {timeoutMs: 30_000});
		// A few seconds of workload, so the panes hold a realistic mix of levels and tasks.
		await session.waitFor(screen => / ERROR /.test(screen) && / WARN /.test(screen), {timeoutMs: 30_000});
		await shoot(session, 'viewer', title(`${WIDTH}x${HEIGHT}`), WIDTH, HEIGHT);

		await session.sendKeys('/');
		await session.waitFor(/Enter keep · Esc clear/);
		await session.type('rows|failed');
		await session.waitFor('/ rows|failed');
		await shoot(session, 'viewer-filter', title('/ filter as you type'), WIDTH, HEIGHT);
		await session.sendKeys('Enter');

		await session.sendKeys('M');
		await session.waitFor('M merged: 3 panes by time');
		await shoot(session, 'viewer-merged', title('M the panes merged by time'), WIDTH, HEIGHT);
		await session.sendKeys('Escape');
		await session.waitFor(screen => !screen.includes('M merged:'));

		await session.sendKeys('?');
		await session.waitFor('dbtail keys');
		await shoot(session, 'viewer-help', title('? help'), WIDTH, HEIGHT);
		await session.sendKeys('Escape');
		await session.waitFor(screen => !screen.includes('dbtail keys'));
		await session.sendKeys('/');
		await session.waitFor(/Enter keep · Esc clear/);
		await session.sendKeys('Escape');
		await session.waitFor(screen => !screen.includes('rows|failed'));

		await session.resize(80, 24);
		await session.waitFor(screen => screen.split('\n').every(row => row.length <= 80) && filledRows(screen) > 10);
		await shoot(session, 'viewer-80x24', title('80x24'), 80, 24);

		await session.sendKeys('q');
		const screen = await session.waitFor('dbtail demo exited with');
		if (!screen.includes('exited with 0')) {
			throw new Error(`dbtail demo failed:\n${screen}`);
		}
	} finally {
		await session.kill();
	}
}

await main();
