import {fileURLToPath} from 'node:url';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import type {RunningServer, ServerOptions} from '../../source/server/index.js';
import {browserSuite, CHROMIUM_PATH, launchBrowser, type Browser} from '../helpers/browser.js';
import {createRun, ingestOnNewConnection} from '../helpers/ingest.js';
import {startPageServer, type PageServer} from '../helpers/page-server.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from '../server/server-fixture.js';

/*
 * A page following a stream of a server with tokens, as docs/protocol.md (Auth, Browsers) tells it to:
 * trade the read token for a short-lived one (POST /api/tokens, a CORS request), put that in the EventSource
 * URL, and when EventSource closes for good (401: the token expired, or the server restarted), mint again
 * and reopen after the last id. The stream it has open outlives its token.
 */

const PAGE_SCRIPT = fileURLToPath(new URL('fixtures/page.js', import.meta.url));
const numbered = (from: number, to: number) => Array.from({length: to - from}, (_, index) => `line ${from + index}`);

type PageState = {received: Array<{id: string; message: string}>; opens: number; mints: number; tokenExpiresAt?: string};

describe.skipIf(!CHROMIUM_PATH)(browserSuite('browser: a page reads a stream with a short-lived token'), () => {
	const current = useServerFixture();
	let browser: Browser;
	let pages: PageServer;
	beforeAll(async () => {
		browser = await launchBrowser();
		pages = await startPageServer(PAGE_SCRIPT);
	});
	afterAll(async () => {
		await pages?.close();
		await browser?.close();
	});

	it('keeps the stream past the token, then mints again and resumes after 401: every line once, in order', async () => {
		const fixture = current();
		const options: Partial<ServerOptions> = {
			tokens: [{token: 'page-reader', permissions: ['read']}, {token: 'producer', permissions: ['write']}],
			corsOrigins: [pages.origin],
			streamTokenTtlMs: 1500,
			retryMs: 300,
		};
		let server: RunningServer = await fixture.start(options);
		const runId = await createRun(server.url, 'producer', {automationId: 'etl'});
		const post = async (from: number, to: number) => ingestOnNewConnection(server.url, 'producer', runId, numbered(from, to));
		const page = await browser.newPage();
		await page.goto(`${pages.origin}/`);
		const state = async () => (await page.evaluate('window.dbtailPage.state')) as PageState;
		const arrived = async (count: number) => until(async () => (await state()).received.length >= count, `${count} lines`);
		try {
			await page.evaluate(`window.dbtailPage.followWithToken(${JSON.stringify(server.url)}, '/api/automations/etl/logs?stream=true', 'page-reader')`);
			await until(async () => (await state()).opens === 1, 'the stream to open');
			await post(0, 10);
			await arrived(10);

			const expiresAt = Date.parse((await state()).tokenExpiresAt!);
			await until(() => Date.now() > expiresAt + 100, 'the token to expire');
			await post(10, 20);
			await arrived(20);
			expect(await state()).toMatchObject({opens: 1, mints: 1});

			// The browser reconnects with the same URL: its token is expired and unknown to the new process.
			await server.close();
			server = await fixture.start({...options, port: server.port});
			await post(20, 30);
			await arrived(30);
			await post(30, 40);
			await arrived(40);

			const final = await state();
			expect(final.received.map((entry) => entry.message)).toEqual(numbered(0, 40));
			expect(final).toMatchObject({opens: 2, mints: 2});
		} finally {
			await page.close();
		}
	});
});
