import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, beforeAll, describe, expect, test} from 'vitest';
import {startWsLogServer, type Line, type WsLogServer} from '../client/ws-log-server.js';
import {ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {TmuxSession} from '../helpers/tmux.js';
import {until} from '../helpers/until.js';

/*
 * Issue 19 in a real terminal: the real viewer (built dist/) in tmux with two panes side by side, an SSE
 * pane on a real `dbtail serve` and a `ws://` pane on a real WebSocket log server in Stratal's shape (live
 * frames only, no ids, five lines per millisecond; history by offset). Lines flow in both; then both
 * servers stop and start again on the same ports (the serve on the same SQLite file, the WebSocket server
 * with the job's history kept, and lines the job wrote while it was down), and both panes come back live
 * by themselves. `S` then writes the ws pane's lines to a file: every line of the job, once and in order.
 */

const root = path.resolve(import.meta.dirname, '../..');
/** The ports of this test's servers, in the range given to this file's author. */
const SERVE_PORT = 20_400;
const WS_PORT = 20_401;
/** The first row: both panes' titles, side by side, each with its connection state. */
const titles = (screen: string) => screen.split('\n')[0]!;

describe('a ws:// pane beside an SSE pane in tmux, across both servers restarting', () => {
	let work: string;
	let dbPath: string;
	let serve: ServeProcess | undefined;
	let ws: WsLogServer | undefined;
	let session: TmuxSession | undefined;
	let runId: string | undefined;
	const history: Line[] = [];

	const sse = async (from: number, to: number) => {
		const lines = Array.from({length: to - from + 1}, (_, index) => ({level: 'INFO', message: `sse ${from + index}`, taskId: 'extract'}));
		runId = (await ingest(serve!.url, undefined, runId ?? {automationId: 'beside'}, lines)).runId;
	};

	beforeAll(async () => {
		work = mkdtempSync(path.join(tmpdir(), 'dbtail-e2e-ws-pane-'));
		dbPath = path.join(work, 'e2e.db');
		serve = await startServeProcess(dbPath, [], {port: SERVE_PORT});
		await sse(1, 200);
		// The job started before the viewer: its first 150 lines come from history.
		ws = await startWsLogServer({shape: 'stratal', before: 150, total: 400, perTick: 1, port: WS_PORT, lines: history});
		session = await TmuxSession.start({
			command: `node ${path.join(root, 'bin/dbtail.js')} --server ${serve.url} --timestamps none automation/beside '${ws.url}'; read _`,
			width: 160,
			height: 30,
			cwd: work,
		});
	}, 60_000);

	afterAll(async () => {
		await session?.kill();
		await serve?.stop();
		await ws?.close();
		rmSync(work, {recursive: true, force: true});
	});

	test('both panes come back live by themselves, and S writes every line of the ws job once and in order', async () => {
		const tmux = session!;
		ws!.start();
		await tmux.waitFor((screen) => /sse 200\b/.test(screen) && /line 399\b/.test(screen), {timeoutMs: 20_000});
		await sse(201, 300);
		await tmux.waitFor(/sse 300\b/);

		// Both servers go away at once; the viewer says so in each pane and keeps what it shows.
		await Promise.all([serve!.stop('SIGKILL'), ws!.close()]);
		serve = undefined;
		ws = undefined;
		await tmux.waitFor((screen) => (titles(screen).match(/● reconnecting/g) ?? []).length === 2, {timeoutMs: 15_000});

		// The job kept writing while its server was down (lines 400 to 499, in history only); then it writes live again.
		ws = await startWsLogServer({shape: 'stratal', before: 100, total: 700, perTick: 1, port: WS_PORT, lines: history});
		serve = await startServeProcess(dbPath, [], {port: SERVE_PORT});
		ws.start();
		await sse(301, 400);
		const server = ws;
		await until(() => server.connections.length > 0 && history.length >= 700, 'the viewer to reconnect and the job to finish', 30_000);
		await tmux.waitFor((screen) => /sse 400\b/.test(screen) && /line 699\b/.test(screen) && (titles(screen).match(/● live/g) ?? []).length === 2, {timeoutMs: 30_000});

		// The ws pane is the second: Tab to it, S, a name of our own.
		await tmux.sendKeys('Tab', 'S');
		await tmux.waitFor('save to:');
		await tmux.sendKeys('C-u');
		await tmux.type('ws-job.log');
		await tmux.sendKeys('Enter');
		await tmux.waitFor('wrote 700 lines to ./ws-job.log', {timeoutMs: 15_000});
		const saved = readFileSync(path.join(work, 'ws-job.log'), 'utf8').trimEnd().split('\n');
		// Stratal's live frames name the task (load), its history only the task run (t-1): compare the text.
		const messages = saved.map((line) => /\b(line \d+)$/.exec(line)?.[1] ?? line);
		expect(messages).toEqual(history.map((line) => line.message));
		expect(history).toHaveLength(700);
	}, 120_000);
});
