import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {afterAll, afterEach, beforeAll, describe, expect, test} from 'vitest';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';
import {until} from '../helpers/until.js';

/*
 * What froze the viewer in issue 15, each in a real terminal (tmux) against a real `dbtail serve`: a
 * filter that makes a backtracking engine take exponential time, a line of a mebibyte, a terminal that
 * goes away under a busy viewer, and Ctrl-Z then fg. Each wait has a deadline; the keys must land in it.
 */

const root = path.resolve(import.meta.dirname, '../..');
const FORTY = 'a'.repeat(40);

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

describe('the viewer never freezes and never outlives its terminal', () => {
	let work: string;
	let server: ServeProcess;
	let session: TmuxSession | undefined;

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-no-freeze-'));
		server = await startServeProcess(path.join(work, 'no-freeze.db'));
		const backtrack = await createRun(server.url, undefined, {automationId: 'backtrack'});
		await ingest(server.url, undefined, backtrack, [
			'a first line',
			...Array.from({length: 30}, (_, index) => (index % 2 === 0 ? `${FORTY}!` : FORTY)),
			'the last line',
		]);
		// The server keeps the first MiB of a message and appends its truncation marker.
		await ingest(server.url, undefined, {automationId: 'huge'}, ['before the huge line', 'x'.repeat(1_200_000), 'after the huge line']);
		await ingest(server.url, undefined, {automationId: 'accents'}, ['é'.repeat(1_200_000), 'after the accents']);
	});

	afterEach(async () => {
		await session?.kill();
		session = undefined;
	});

	afterAll(async () => {
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	/** The viewer as the pane's own process (`exec`), so its pid is the pane's. */
	async function viewer(source: string): Promise<TmuxSession> {
		session = await TmuxSession.start({command: `exec node bin/dbtail.js --server ${server.url} ${source}`, width: 100, height: 30, cwd: root});
		return session;
	}

	test('/(a+)+$ on lines of 40 a: every key lands within a second, and q quits', async () => {
		const tmux = await viewer('automation/backtrack');
		await tmux.waitFor('the last line', {timeoutMs: 15_000});
		await tmux.sendKeys('/');
		await tmux.type('(a+)+$');
		await tmux.waitFor('/(a+)+$', {timeoutMs: 1000});
		await tmux.sendKeys('Enter');
		await tmux.waitFor((screen) => !screen.includes('the last line') && screen.includes(FORTY), {timeoutMs: 1000});
		// The search takes the same engine, and marks what it finds on every row shown.
		await tmux.sendKeys('s');
		await tmux.type('^(a|aa)+$');
		await tmux.waitFor('s:^(a|aa)+$', {timeoutMs: 1000});
		await tmux.sendKeys('Enter');
		await tmux.sendKeys('q');
		await tmux.waitForExit({timeoutMs: 1000});
	});

	test('a lookahead is refused in the prompt, by name', async () => {
		const tmux = await viewer('automation/backtrack');
		await tmux.waitFor('the last line', {timeoutMs: 15_000});
		await tmux.sendKeys('/');
		await tmux.type('a(?=b)');
		await tmux.waitFor('lookahead (?= is not supported', {timeoutMs: 1000});
		await tmux.sendKeys('Escape');
		await tmux.sendKeys('q');
		await tmux.waitForExit({timeoutMs: 1000});
	});

	test('a 1,048,700-byte line is on screen at once and q exits', async () => {
		const tmux = await viewer('automation/huge');
		const screen = await tmux.waitFor('after the huge line', {timeoutMs: 5000});
		expect(screen).toMatch(/the line goes on \(1,048,\d{3} characters in all\)/);
		await tmux.sendKeys('k');
		await tmux.sendKeys('q');
		await tmux.waitForExit({timeoutMs: 2000});
	});

	test('1.2 MB of é is on screen at once, unwrapped and scrolled sideways too, and q exits', async () => {
		const tmux = await viewer('automation/accents');
		await tmux.waitFor((screen) => screen.includes('after the accents') && screen.includes('éééé'), {timeoutMs: 5000});
		// Wrap off, the line's end and back: each a key, each answered.
		await tmux.sendKeys('w');
		await tmux.sendKeys('$');
		await tmux.sendKeys('0');
		await tmux.sendKeys('q');
		await tmux.waitForExit({timeoutMs: 2000});
	});

	test('tmux kill-session under a busy viewer leaves no dbtail process', async () => {
		const tmux = await viewer('automation/backtrack');
		await tmux.waitFor('the last line', {timeoutMs: 15_000});
		const pid = await tmux.panePid();
		await tmux.sendKeys('/');
		await tmux.type('(a+)+$');
		await tmux.sendKeys('Enter');
		await tmux.tmux('kill-session', '-t', 'main');
		await until(() => !alive(pid), `the viewer (pid ${pid}) to end after its terminal went away`, 5000);
	});

	test('Ctrl-Z then fg draws every row again, and so does Ctrl-L', async () => {
		// Every log row of the screen: 28 of the 32 lines, the first ones above the screen.
		const full = (screen: string) => screen.includes('the last line') && screen.split('\n').filter((row) => row.includes(' INFO ')).length >= 28;
		session = await TmuxSession.start({command: 'exec sh', width: 100, height: 30, cwd: root});
		const tmux = session;
		await tmux.type(`node bin/dbtail.js --server ${server.url} automation/backtrack`);
		await tmux.sendKeys('Enter');
		await tmux.waitFor(full, {timeoutMs: 15_000});
		await tmux.sendKeys('C-z');
		await tmux.waitFor(/Stopped|suspended/i, {timeoutMs: 5000});
		await tmux.type('fg');
		await tmux.sendKeys('Enter');
		await tmux.waitFor(full, {timeoutMs: 3000});
		await tmux.sendKeys('C-l');
		await tmux.waitFor(full, {timeoutMs: 3000});
		await tmux.sendKeys('q');
		await tmux.waitFor(/^[$#] ?$/m, {timeoutMs: 3000});
	});
});
