import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {EventSource} from 'eventsource';
import {afterAll, afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest';
import {browserSuite, CHROMIUM_PATH, launchBrowser, type Browser} from '../helpers/browser.js';
import {createRun, ingestOnNewConnection} from '../helpers/ingest.js';
import {startPageServer, type PageServer} from '../helpers/page-server.js';
import {until} from '../helpers/until.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';

/*
 * A standard EventSource, reconnecting on its own, against `dbtail serve` as a real process that is killed
 * with SIGKILL mid-stream and started again on the same port and SQLite file. The client's own reconnect
 * (with Last-Event-ID) must resume it: every numbered line exactly once, in order. Once in headless
 * Chromium from a page of another origin (--cors-origin), once with the `eventsource` package in Node.
 */

type Received = {id: string; message: string};
type StreamClient = {open(url: string): Promise<void>; received(): Promise<Received[]>; close(): Promise<void>};

const PAGE_SCRIPT = fileURLToPath(new URL('fixtures/page.js', import.meta.url));
const numbered = (from: number, to: number) => Array.from({length: to - from}, (_, index) => `line ${from + index}`);

async function killAndRestart(dir: string, client: StreamClient, args: string[]): Promise<void> {
	const db = path.join(dir, 'logs.db');
	let serve: ServeProcess = await startServeProcess(db, args);
	try {
		const runId = await createRun(serve.url, undefined, {automationId: 'etl'});
		const post = async (from: number, to: number) => {
			for (let batch = from; batch < to; batch += 10) {await ingestOnNewConnection(serve.url, undefined, runId, numbered(batch, batch + 10));}
		};

		const arrived = async (count: number) => until(async () => (await client.received()).length >= count, `${count} lines`, 20_000);
		await client.open(`${serve.url}/api/automations/etl/logs?stream=true`);
		await post(0, 40);
		await arrived(40);

		await serve.stop('SIGKILL');
		serve = await startServeProcess(db, args, {port: serve.port});
		// Most likely while the client is still away (retry: 2000): these come in the replay after its Last-Event-ID.
		// Were the reconnect not resumed, the stream would replay the whole run, lines 0 to 39 again.
		await post(40, 80);
		await arrived(80);
		await post(80, 120);
		await arrived(120);

		const received = await client.received();
		expect(received.map((entry) => entry.message)).toEqual(numbered(0, 120));
		const ids = received.map((entry) => Number(entry.id));
		expect(ids.every((id, index) => index === 0 || id > ids[index - 1]!)).toBe(true);
	} finally {
		await serve.stop('SIGKILL');
	}
}

describe.skipIf(!CHROMIUM_PATH)(browserSuite('browser: EventSource resumes across kill -9 of dbtail serve'), () => {
	let browser: Browser;
	let pages: PageServer;
	let dir: string;
	beforeAll(async () => {
		browser = await launchBrowser();
		pages = await startPageServer(PAGE_SCRIPT);
	});
	afterAll(async () => {
		await pages?.close();
		await browser?.close();
	});
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-browser-'));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	it("loses and repeats nothing: Chromium's own reconnect sends Last-Event-ID", async () => {
		const page = await browser.newPage();
		await page.goto(`${pages.origin}/`);
		const client: StreamClient = {
			open: async (url) => page.evaluate(`window.dbtailPage.follow(${JSON.stringify(url)})`).then(() => undefined),
			received: async () => (await page.evaluate('window.dbtailPage.state.received')) as Received[],
			close: async () => page.close(),
		};
		try {
			await killAndRestart(dir, client, ['--cors-origin', pages.origin]);
			const state = (await page.evaluate('window.dbtailPage.state')) as {opens: number; errors: number};
			// One open, then one after the kill (the browser may also have failed to connect while the server was down).
			expect(state.opens).toBe(2);
			expect(state.errors).toBeGreaterThanOrEqual(1);
		} finally {
			await client.close();
		}
	});
});

describe('the eventsource package (Node) resumes across kill -9 of dbtail serve', () => {
	let dir: string;
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-eventsource-'));
	});
	afterEach(() => rmSync(dir, {recursive: true, force: true}));

	it('loses and repeats nothing: its own reconnect sends Last-Event-ID', async () => {
		let source: EventSource | undefined;
		const received: Received[] = [];
		let opens = 0;
		const client: StreamClient = {
			async open(url) {
				source = new EventSource(url);
				source.addEventListener('open', () => opens++);
				source.addEventListener('message', (event) => {
					const data = JSON.parse(event.data as string) as {type: string; data?: {message: string}};
					if (data.type === 'log') {received.push({id: event.lastEventId, message: data.data!.message});}
				});
			},
			received: async () => received,
			async close() {
				source?.close();
			},
		};
		try {
			await killAndRestart(dir, client, []);
			expect(opens).toBe(2);
		} finally {
			await client.close();
		}
	});
});
