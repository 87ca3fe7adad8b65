import http from 'node:http';
import {describe, expect, it} from 'vitest';
import type {StreamStatus} from '../../source/protocol/api.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from './server-fixture.js';
import {SseReader} from './sse-reader.js';

const tokens = [
	{token: 'reader-token', permissions: ['read' as const]},
	{token: 'writer-token', permissions: ['write' as const]},
	{token: 'both-token', permissions: ['read' as const, 'write' as const]},
];

async function call(url: string, token?: string, init: RequestInit = {}) {
	const headers: Record<string, string> = {'content-type': 'application/json'};
	if (token) {headers.authorization = `Bearer ${token}`;}
	const response = await fetch(url, {...init, headers});
	const text = await response.text();
	return {status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as {error?: {code: string; message: string}}) : {}};
}

describe('auth and connection limits', () => {
	const current = useServerFixture();

	it('answers 401 without or with a bad token, 403 without the scope, and refuses ?token=', async () => {
		const fixture = current();
		const server = await fixture.start({tokens});
		const runs = `${server.url}/api/runs`;
		const body = JSON.stringify({automationId: 'etl'});
		const missing = await call(runs, undefined, {method: 'POST', body});
		expect(missing.status).toBe(401);
		expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
		expect(missing.body.error?.code).toBe('unauthorized');
		expect((await call(runs, 'wrong', {method: 'POST', body})).status).toBe(401);
		const forbidden = await call(runs, 'reader-token', {method: 'POST', body});
		expect(forbidden.status).toBe(403);
		expect(forbidden.body.error).toEqual({code: 'forbidden', message: 'the token lacks the "write" scope'});
		expect((await call(runs, 'writer-token', {method: 'POST', body})).status).toBe(201);

		const stream = `${server.url}/api/automations/etl/logs?stream=true`;
		expect((await call(stream)).status).toBe(401);
		expect((await call(stream, 'writer-token')).status).toBe(403);
		const query = await call(`${stream}&token=reader-token`);
		expect(query.status).toBe(400);
		expect(query.body.error?.message).toMatch(/token= query parameter is refused/);
		const reader = fixture.track(await SseReader.open(stream, {token: 'reader-token'}));
		expect(reader.status).toBe(200);
		expect((await call(`${server.url}/healthz`)).status).toBe(200);
		expect((await call(`${server.url}/metrics`)).status).toBe(401);
	});

	it('answers 429 with Retry-After past the per-token and total limits, and frees the slot on close', async () => {
		const fixture = current();
		const server = await fixture.start({tokens, maxConnections: 3, maxConnectionsPerToken: 2});
		await call(`${server.url}/api/runs`, 'writer-token', {method: 'POST', body: JSON.stringify({automationId: 'etl'})});
		const stream = `${server.url}/api/logs/stream`;
		const open = async (token: string) => fixture.track(await SseReader.open(stream, {token}));
		const [a, b] = [await open('reader-token'), await open('reader-token')];
		expect([a.status, b.status]).toEqual([200, 200]);
		const perToken = await open('reader-token');
		expect(perToken.status).toBe(429);
		expect(perToken.headers['retry-after']).toBe('5');
		expect((await perToken.body()).error.message).toMatch(/this token has its maximum of 2/);
		expect((await open('both-token')).status).toBe(200);
		const total = await open('both-token');
		expect(total.status).toBe(429);
		expect((await total.body()).error.code).toBe('too-many-connections');

		a.close();
		const status = async () => ((await (await call(`${server.url}/api/stream/status`, 'reader-token')).body) as unknown as StreamStatus);
		await until(async () => (await status()).connections === 2, 'the closed stream to be counted out');

		expect((await status()).streams).toEqual([{stream: 'all', connections: 2}]);
		expect((await open('reader-token')).status).toBe(200);
	});

	it('without tokens answers only requests addressed to a loopback name (DNS rebinding)', async () => {
		const server = await current().start();
		const status = async (host: string) =>
			new Promise<number>((resolve, reject) => {
				http.get(`${server.url}/api/catalog`, {headers: {host}}, (response) => {
					response.resume();
					resolve(response.statusCode!);
				}).on('error', reject);
			});
		expect(await status('evil.example:8080')).toBe(403);
		expect(await status('127.0.0.1.evil.example')).toBe(403);
		expect(await status(`127.0.0.1:${server.port}`)).toBe(200);
		expect(await status('localhost')).toBe(200);
		expect(await status('[::1]:8080')).toBe(200);
	});

	it('refuses to start open on a non-loopback address', async () => {
		const fixture = current();
		await expect(fixture.start({host: '0.0.0.0'})).rejects.toThrow(/refusing to listen on 0.0.0.0 with no token/);
	});
});
