import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';
import {until} from '../helpers/until.js';

/*
 * Attention across panes in a real terminal: the built `dbtail` in tmux (120x30, three panes stacked)
 * against a real `dbtail serve` fed over HTTP. Pane 1 is focused; pane 2 follows a run that logs ERROR and
 * WARN lines and then fails; pane 3 opened on a run that had failed an hour before. The title of pane 2
 * counts what came, and the viewer's raw output (tmux pipe-pane, before tmux reads it) holds the bell and
 * OSC 9 / OSC 777 wrapped in tmux's passthrough, since $TMUX is set in a tmux pane. What tmux really passes
 * on is read from a second tmux, whose pane runs a client attached to the first: with `allow-passthrough on`
 * the unwrapped OSC 9 reaches that client's terminal, and so does the bell; with it off (tmux's default)
 * only the bell does.
 */

const root = path.resolve(import.meta.dirname, '../..');
/** The port of this test's server, in the range given to this file's author. */
const PORT = 19_700;
const ESC = '\u001B';
const BEL = '\u0007';
const HOUR_AGO = () => new Date(Date.now() - 3_600_000).toISOString();

/** How often `text` occurs in `within`. */
const occurrences = (within: string, text: string) => within.split(text).length - 1;

describe('attention across panes, in tmux', () => {
	let work: string;
	let server: ServeProcess;
	let inner: TmuxSession;
	let outer: TmuxSession;
	let alphaRun: string;
	let betaRun: string;
	/** What the viewer wrote (the inner pane's output), and what the inner tmux wrote to its client's terminal. */
	let viewerBytes: string;
	let clientBytes: string;
	const viewerOutput = () => readFileSync(viewerBytes, 'utf8');
	const clientOutput = () => readFileSync(clientBytes, 'utf8');

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-attention-'));
		viewerBytes = path.join(work, 'viewer.bytes');
		clientBytes = path.join(work, 'client.bytes');
		writeFileSync(viewerBytes, '');
		writeFileSync(clientBytes, '');
		server = await startServeProcess(path.join(work, 'e2e.db'), [], {port: PORT});
		({runId: alphaRun} = await ingest(server.url, undefined, {automationId: 'alpha'}, ['alpha starts']));
		betaRun = await createRun(server.url, undefined, {automationId: 'beta'});
		await ingest(server.url, undefined, betaRun, ['beta starts']);
		// A run that failed an hour ago, with its ERROR: a pane opened on it has nothing new to say.
		const {runId: doneRun} = await ingest(server.url, undefined, {automationId: 'done'}, [
			{level: 'ERROR', message: 'long ago', timestamp: HOUR_AGO()},
			{level: 'INFO', message: 'done long ago', timestamp: HOUR_AGO()},
		]);
		await finishRun(server.url, undefined, doneRun, 'failed');

		// The viewer starts on Enter, once its output is piped and a client is attached: nothing it writes is missed.
		inner = await TmuxSession.start({
			command: `read _; node bin/dbtail.js --server ${server.url} --timestamps none automation/alpha automation/beta automation/done; read _`,
			width: 120,
			height: 30,
			cwd: root,
		});
		await inner.tmux('set-option', '-g', 'allow-passthrough', 'on');
		await inner.pipeOutput(`cat >> ${viewerBytes}`);
		outer = await TmuxSession.start({command: `exec env -u TMUX tmux -u -L ${inner.socket} -f /dev/null attach-session -t main`, width: 120, height: 30});
		await outer.pipeOutput(`cat >> ${clientBytes}`);
		await until(async () => (await inner.format('#{session_attached}')) === '1', 'the client attached to the viewer\'s tmux');
		await inner.sendKeys('Enter');
		await inner.waitFor((screen) => occurrences(screen, '● live') === 3 && screen.includes('done long ago'), {timeoutMs: 20_000});
	}, 60_000);

	afterAll(async () => {
		await outer?.kill();
		await inner?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	});

	test("a pane not focused counts its new ERROR and WARN lines in its title; the first ERROR notifies once, wrapped for tmux's passthrough", async () => {
		await ingest(server.url, undefined, betaRun, [
			{level: 'WARN', message: 'disk 90% full'},
			{level: 'ERROR', message: 'disk full; load stopped'},
			{level: 'ERROR', message: 'retry failed'},
			{level: 'WARN', message: 'giving up soon'},
		]);
		const screen = await inner.waitFor('2 ERROR 2 WARN new', {timeoutMs: 15_000});
		expect(screen).toMatch(new RegExp(`^ 2 automation/beta ${betaRun} running ● live {2}2 ERROR 2 WARN new `, 'm'));
		// The focused pane and the pane on the finished run have nothing new.
		expect(occurrences(screen, ' new ')).toBe(1);

		const body = `dbtail: automation/beta ${betaRun} first ERROR: disk full, load stopped`;
		await until(() => viewerOutput().includes(body), 'the first-ERROR notice in the viewer\'s output', 10_000);
		const written = viewerOutput();
		// Each OSC in tmux's DCS passthrough with its ESCs doubled; the bell after them, as it is.
		expect(written).toContain(`${ESC}Ptmux;${ESC}${ESC}]9;${body}${BEL}${ESC}\\`);
		expect(written).toContain(`${ESC}Ptmux;${ESC}${ESC}]777;notify;dbtail;automation/beta ${betaRun} first ERROR: disk full, load stopped${BEL}${ESC}\\${BEL}`);
		expect(occurrences(written, 'first ERROR')).toBe(2);
		// The run that ended an hour before its pane opened says nothing, neither its ERROR nor its end.
		expect(written).not.toContain('dbtail: automation/done');
		expect(written).not.toContain(';dbtail;automation/done');

		// What tmux passes on, with allow-passthrough on: the OSCs unwrapped, and the bell.
		await until(() => clientOutput().includes(`${ESC}]9;${body}${BEL}`), 'the OSC 9 passed through to the client\'s terminal', 10_000);
		expect(clientOutput()).toContain(`${ESC}]777;notify;dbtail;automation/beta ${betaRun} first ERROR: disk full, load stopped${BEL}`);
		expect(clientOutput()).not.toContain(`${ESC}Ptmux;`);
		// The bell: a BEL that ends no OSC.
		// eslint-disable-next-line no-control-regex -- the OSCs are what is taken out
		expect(clientOutput().replaceAll(/\u001B\][^\u0007]*\u0007/g, '')).toContain(BEL);
	});

	test('more ERRORs of the run notify nothing more; its failure does, once; focusing the pane reads its count', async () => {
		await ingest(server.url, undefined, betaRun, [{level: 'ERROR', message: 'still failing'}]);
		await inner.waitFor('3 ERROR 2 WARN new', {timeoutMs: 15_000});
		await finishRun(server.url, undefined, betaRun, 'failed');
		const ended = `]9;dbtail: automation/beta ${betaRun} failed in `;
		await until(() => viewerOutput().includes(ended), 'the run-failed notice', 10_000);
		await inner.waitFor(`automation/beta ${betaRun} failed`, {timeoutMs: 10_000});
		const written = viewerOutput();
		expect(occurrences(written, 'first ERROR')).toBe(2);
		expect(occurrences(written, ended)).toBe(1);

		await inner.sendKeys('2');
		const screen = await inner.waitFor((current) => current.includes('▶2 automation/beta') && !current.includes(' new '), {timeoutMs: 10_000});
		expect(screen).toContain('still failing');
	});

	test("with tmux's allow-passthrough off (its default), the OSCs stop at tmux and only the bell reaches the terminal", async () => {
		await inner.tmux('set-option', '-g', 'allow-passthrough', 'off');
		const bellsBefore = occurrences(clientOutput(), BEL);
		// Pane 2 is focused now: pane 1's run logs its first ERROR.
		await ingest(server.url, undefined, alphaRun, [{level: 'ERROR', message: 'alpha broke'}]);
		const body = 'first ERROR: alpha broke';
		await until(() => viewerOutput().includes(`]9;dbtail: automation/alpha `) && viewerOutput().includes(body), 'the notice in the viewer\'s output', 10_000);
		await until(() => occurrences(clientOutput(), BEL) > bellsBefore, 'the bell at the client\'s terminal', 10_000);
		expect(clientOutput()).not.toContain(body);
	});
});
