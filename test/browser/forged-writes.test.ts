import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {Catalog, HistoryAnswer} from '../../source/protocol/api.js';
import type {Run} from '../../source/protocol/record.js';
import {browserSuite, CHROMIUM_PATH, launchBrowser, type Browser} from '../helpers/browser.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {startPageServer, type PageServer} from '../helpers/page-server.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';

/*
 * Issue 9, as it happened: a page of another local origin posts to a tokenless `dbtail serve` on loopback.
 * The requests are really sent by a real Chromium; the store, read from Node, must not have changed.
 */

const PAGE_SCRIPT = fileURLToPath(new URL('fixtures/page.js', import.meta.url));

describe.skipIf(!CHROMIUM_PATH)(browserSuite('browser: a web page cannot write to dbtail serve'), () => {
	let browser: Browser;
	let dir: string;
	const pages: PageServer[] = [];
	let serve: ServeProcess | undefined;

	beforeAll(async () => {
		browser = await launchBrowser();
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-browser-'));
	});
	afterAll(async () => {
		await serve?.stop('SIGKILL');
		await Promise.all(pages.map(async (page) => page.close()));
		await browser?.close();
		rmSync(dir, {recursive: true, force: true});
	});

	it('no-cors fetches, a text/plain form and a JSON POST from other origins, even a --cors-origin one, store nothing', async () => {
		// 127.0.0.1:<port> is the same site as the server, another origin; localhost is another site.
		const reader = await startPageServer(PAGE_SCRIPT, '127.0.0.1');
		const stranger = await startPageServer(PAGE_SCRIPT, 'localhost');
		pages.push(reader, stranger);
		serve = await startServeProcess(path.join(dir, 'logs.db'), ['--cors-origin', reader.origin]);
		const runId = await createRun(serve.url, undefined, {automationId: 'etl'});
		await ingest(serve.url, undefined, runId, ['real line']);

		for (const origin of [reader, stranger]) {
			const page = await browser.newPage();
			await page.goto(`${origin.origin}/`);
			const forged = (await page.evaluate(`window.dbtailPage.forge(${JSON.stringify(serve.url)}, ${JSON.stringify(runId)})`)) as string[];
			// Sent, and opaque to the page: the browser asked no one.
			expect(forged, origin.origin).toEqual(['opaque', 'opaque', 'opaque']);
			await page.evaluate(`window.dbtailPage.formPost(${JSON.stringify(serve.url)}, ${JSON.stringify(runId)})`);
			const json = (await page.evaluate(`window.dbtailPage.corsPost(${JSON.stringify(serve.url)}, '/api/runs/${runId}/logs', '{"level":"ERROR","message":"forged with a preflight"}')`)) as string;
			expect(json, origin.origin).toMatch(/^refused: /);
			const read = (await page.evaluate(`window.dbtailPage.corsGet(${JSON.stringify(serve.url)}, '/api/runs/${runId}')`)) as string;
			if (origin === reader) {
				// The origin given with --cors-origin reads: the refusals above were about writing, not about CORS being off.
				expect(read).toMatch(/^200 /);
				expect((JSON.parse(read.slice(4)) as Run).status).toBe('running');
			} else {
				expect(read).toMatch(/^refused: /);
			}

			await page.close();
		}

		const catalog = (await (await fetch(`${serve.url}/api/catalog`)).json()) as Catalog;
		expect(catalog.automations.map((entry) => [entry.id, entry.currentRun?.status])).toEqual([['etl', 'running']]);
		const history = (await (await fetch(`${serve.url}/api/logs`)).json()) as HistoryAnswer;
		expect(history.logs.map((record) => record.message)).toEqual(['real line']);
	});
});
