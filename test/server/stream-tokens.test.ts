import {describe, expect, it} from 'vitest';
import {createRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

/*
 * POST /api/tokens: a long-lived read token buys a short-lived, read-only one, which a browser's
 * EventSource (it sends no headers) may put in token= of a stream URL. Long-lived tokens stay out of URLs.
 */

const tokens = [
	{token: 'reader', permissions: ['read' as const]},
	{token: 'writer', permissions: ['write' as const]},
];

type Minted = {token: string; expiresAt: string};
type Answer = {status: number; headers: Headers; body: Record<string, unknown> & {error?: {code: string; message: string}}};

async function call(url: string, init: {method?: string; token?: string; body?: string} = {}): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (init.token) {headers.authorization = `Bearer ${init.token}`;}
	if (init.body !== undefined) {headers['content-type'] = 'application/json';}
	const response = await fetch(url, {method: init.method ?? 'GET', headers, body: init.body});
	// A stream that was let through: its status is enough.
	if (response.headers.get('content-type')?.startsWith('text/event-stream')) {
		await response.body?.cancel();
		return {status: response.status, headers: response.headers, body: {}};
	}

	return {status: response.status, headers: response.headers, body: (await response.json()) as Answer['body']};
}

async function mint(base: string, token = 'reader'): Promise<Minted> {
	const answer = await call(`${base}/api/tokens`, {method: 'POST', token});
	expect(answer.status, JSON.stringify(answer.body)).toBe(200);
	return answer.body as unknown as Minted;
}

describe('short-lived stream tokens', () => {
	const current = useServerFixture();

	it('are minted from a long-lived read token in the header only, read-only, and taken in token= of streams only', async () => {
		const server = await current().start({tokens});
		const runId = await createRun(server.url, 'writer', {automationId: 'etl'});
		const minted = await mint(server.url);
		expect(minted.token).toMatch(/^dbst1\.[\w.-]+$/);
		expect(minted.token).not.toContain('reader');
		const lifetime = Date.parse(minted.expiresAt) - Date.now();
		expect(lifetime).toBeGreaterThan(4 * 60_000);
		expect(lifetime).toBeLessThanOrEqual(5 * 60_000);

		const stream = `${server.url}/api/automations/etl/logs?stream=true`;
		expect((await call(`${stream}&token=${minted.token}`)).status).toBe(200);
		expect((await call(`${server.url}/api/logs/stream?token=${encodeURIComponent(minted.token)}`)).status).toBe(200);
		// Read-only, in the header too; and in a URL only on a stream.
		expect((await call(`${server.url}/api/catalog`, {token: minted.token})).status).toBe(200);
		const write = await call(`${server.url}/api/runs/${runId}/logs`, {method: 'POST', token: minted.token, body: '[{"level":"INFO","message":"x"}]'});
		expect([write.status, write.body.error?.message]).toEqual([403, 'a short-lived token only reads']);
		const history = await call(`${server.url}/api/logs?token=${minted.token}`);
		expect(history.status).toBe(400);
		expect(history.body.error?.message).toMatch(/^the token= query parameter is refused/);

		// Long-lived tokens stay out of URLs, streams included.
		const long = await call(`${stream}&token=reader`);
		expect(long.status).toBe(400);
		expect(long.body.error?.message).toBe(
			'the token= query parameter is refused for long-lived tokens (URLs leak into logs): send Authorization: Bearer <token>, or put a short-lived token from POST /api/tokens in token= of a stream',
		);

		// Who may mint: a long-lived token with the read scope, sent in the header.
		expect((await call(`${server.url}/api/tokens`, {method: 'POST'})).status).toBe(401);
		expect((await call(`${server.url}/api/tokens`, {method: 'POST', token: 'nobody'})).status).toBe(401);
		const writer = await call(`${server.url}/api/tokens`, {method: 'POST', token: 'writer'});
		expect([writer.status, writer.body.error?.message]).toEqual([403, 'the token lacks the "read" scope']);
		const chained = await call(`${server.url}/api/tokens`, {method: 'POST', token: minted.token});
		expect([chained.status, chained.body.error?.message]).toEqual([403, 'a short-lived token cannot mint another: send a long-lived read token']);
		expect((await call(`${server.url}/api/tokens?token=reader`, {method: 'POST'})).status).toBe(400);

		// A forged or altered token is nobody's.
		const [prefix, expires, kid, mac] = minted.token.split('.');
		for (const forged of [`${prefix}.${Number(expires) + 60_000}.${kid}.${mac}`, `${prefix}.${expires}.${kid}.${mac!.slice(1)}x`, 'dbst1.garbage']) {
			const answer = await call(`${stream}&token=${forged}`);
			expect(answer.status, forged).toBe(401);
			expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="dbtail", error="invalid_token"');
		}
	});

	it('expire for new streams, while a stream opened with one stays open', async () => {
		const server = await current().start({tokens, streamTokenTtlMs: 300});
		const runId = await createRun(server.url, 'writer', {automationId: 'etl'});
		const minted = await mint(server.url);
		const reader = current().track(await SseReader.open(`${server.url}/api/automations/etl/logs?stream=true&token=${minted.token}`));
		expect(reader.status).toBe(200);
		await until(() => Date.now() > Date.parse(minted.expiresAt), 'the token to expire');
		await ingest(server.url, 'writer', runId, ['after the token expired']);
		await reader.waitFor(() => reader.logs.length === 1, 'the line on the open stream');
		expect(reader.logs[0]!.message).toBe('after the token expired');

		const expired = await call(`${server.url}/api/automations/etl/logs?stream=true&token=${minted.token}`);
		expect(expired.status).toBe(401);
		expect(expired.body.error?.message).toBe('the short-lived token has expired: get a new one from POST /api/tokens and reopen the stream with since=<last id>');
	});

	it('are the signing server\'s own: a restarted server refuses them', async () => {
		const fixture = current();
		const first = await fixture.start({tokens});
		const minted = await mint(first.url);
		await createRun(first.url, 'writer', {automationId: 'etl'});
		await first.close();
		// The same file and tokens: only the process's signing key is new.
		const second = await fixture.start({tokens});
		const answer = await call(`${second.url}/api/logs/stream?token=${minted.token}`);
		expect(answer.status).toBe(401);
		expect(answer.body.error?.message).toBe('the short-lived token is not valid (tokens end when the server restarts): get a new one from POST /api/tokens');
	});

	it('count against the per-token stream limit of the token that minted them', async () => {
		const server = await current().start({tokens, maxConnectionsPerToken: 1});
		await createRun(server.url, 'writer', {automationId: 'etl'});
		const fixture = current();
		expect(fixture.track(await SseReader.open(`${server.url}/api/logs/stream`, {token: 'reader'})).status).toBe(200);
		const minted = await mint(server.url);
		expect(fixture.track(await SseReader.open(`${server.url}/api/logs/stream?token=${minted.token}`)).status).toBe(429);
	});

	it('are not made by a server without tokens, which needs none', async () => {
		const server = await current().start();
		const answer = await call(`${server.url}/api/tokens`, {method: 'POST'});
		expect([answer.status, answer.body.error?.message]).toEqual([400, 'this server has no tokens: open streams without token=']);
	});
});
