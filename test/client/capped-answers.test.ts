import http from 'node:http';
import type {AddressInfo} from 'node:net';
import {gzipSync} from 'node:zlib';
import {afterEach, describe, expect, it} from 'vitest';
import {fetchCatalog} from '../../source/client/catalog.js';
import {MAX_CATALOG_ANSWER_BYTES} from '../../source/client/capped-body.js';
import {fetchRange, historyReader} from '../../source/client/history.js';
import {checkToken} from '../../source/client/token-check.js';

/*
 * A hostile server answers every request with a gzip bomb: 80 KB on the wire, 80 MiB decoded (in the
 * issue, 13 MB of gzip decoded to 3 GB and the viewer's picker and `dbtail follow` died at 6 GB). Each
 * answer the client reads whole is read only up to its cap after decoding, and the failure says so in one
 * line.
 */

const DECODED_BYTES = 80 * 1024 * 1024;
// JSON's whitespace after an opening brace: a prefix that parses until it ends, as a hostile answer would.
const bomb = gzipSync(Buffer.concat([Buffer.from('{"logs":['), Buffer.alloc(DECODED_BYTES, ' ')]), {level: 9});

type Hostile = {url: string; close(): Promise<void>};
const servers: Hostile[] = [];
afterEach(async () => {
	await Promise.all(servers.splice(0).map(async (server) => server.close()));
});

async function hostile(status: number): Promise<Hostile> {
	const server = http.createServer((_req, res) => {
		res.writeHead(status, {'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length});
		res.end(bomb);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const started = {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		async close() {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
	servers.push(started);
	return started;
}

/** How much this process's heap grew while `work` ran (a decoded bomb shows as tens of MB at least). */
async function heapGrowth(work: () => Promise<unknown>): Promise<number> {
	const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
	let peak = before;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers);
	}, 5);
	try {
		await work();
	} finally {
		clearInterval(sampler);
	}

	return Math.max(peak, process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers) - before;
}

describe('the client caps what it decodes', () => {
	it('the catalog: refused past 64 MiB decoded, in one line', async () => {
		const server = await hostile(200);
		let refusal: unknown;
		const growth = await heapGrowth(async () => {
			refusal = await fetchCatalog({server: server.url}).catch((error: unknown) => error);
		});
		expect((refusal as Error).message).toBe(`${server.url} sent a catalog over 64 MiB (after decompression): not read`);
		expect(growth).toBeLessThan(MAX_CATALOG_ANSWER_BYTES * 2);
	});

	it('history pages, the pane reader and the gap fill alike: refused past 32 MiB decoded, in one line', async () => {
		const server = await hostile(200);
		const message = `${server.url} sent a history page over 32 MiB (after decompression): not read`;
		await expect(historyReader({source: 'automation/etl', server: server.url})!.before(undefined, 10)).rejects.toThrow(message);
		await expect(fetchRange(server.url, {kind: 'automation', id: 'etl'}, {runId: 'r-1', afterId: '1', beforeId: '9'}, {}, AbortSignal.timeout(30_000))).rejects.toThrow(
			message,
		);
	});

	it('the token check and error bodies: 64 KiB, and said so', async () => {
		const refused = await hostile(401);
		expect(await checkToken(refused.url, 'token')).toEqual({
			ok: false,
			reachable: true,
			message: `${refused.url} refused the token (HTTP 401; ${refused.url} sent an answer over 64 KiB (after decompression): not read)`,
		});
		const accepted = await hostile(200);
		const growth = await heapGrowth(async () => expect(await checkToken(accepted.url, 'token')).toEqual({ok: true}));
		expect(growth).toBeLessThan(16 * 1024 * 1024);
		const failing = await hostile(500);
		await expect(historyReader({source: 'automation/etl', server: failing.url})!.before(undefined, 10)).rejects.toThrow(/^history answered HTTP 500$/);
	});
});
