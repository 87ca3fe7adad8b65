import {afterEach, describe, expect, it} from 'vitest';
import {startHostileServer, type HostileOptions, type HostileServer} from '../helpers/hostile-sse-server.js';
import {until} from '../helpers/until.js';
import {collect, sequenceProblem} from './collect.js';

/* How LogStream answers a dead or refusing server: each rule of the reconnect policy on a real socket. */

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

async function open(options: HostileOptions, stream: Partial<Parameters<typeof collect>[0]> = {}) {
	server = await startHostileServer(options);
	const run = collect({source: 'automation/nightly-etl', server: server.url, ...stream});
	run.stream.start();
	return run;
}

const json = (code: string, message: string) => JSON.stringify({error: {code, message}});

describe('LogStream connection policy', () => {
	it('declares a silent connection dead after 2.5 heartbeat intervals and reconnects', async () => {
		const run = await open(
			{records: 50, complete: 'succeeded', heartbeatMs: 200, silent: (n) => n === 1},
			{heartbeatSeconds: 0.2},
		);
		const final = await run.ended(10_000);
		run.stream.close();
		expect(final.kind).toBe('completed');
		const dead = run.states.find((state) => state.kind === 'reconnecting');
		expect(dead).toMatchObject({lastError: expect.stringMatching(/no data for .*presumed dead/)});
		const gap = server!.requests[1]!.at - server!.requests[0]!.at;
		expect(gap).toBeGreaterThanOrEqual(500);
		expect(gap).toBeLessThan(5000);
		expect(run.records).toHaveLength(50);
	});

	it('asks for a 4 s heartbeat unless told, and goes by the interval the server announces', async () => {
		const run = await open({records: 50, complete: 'succeeded', heartbeatMs: 200, silent: (n) => n === 1});
		const final = await run.ended(10_000);
		run.stream.close();
		expect(final.kind).toBe('completed');
		expect(new URL(server!.requests[0]!.url, 'http://x').searchParams.get('heartbeat')).toBe('4');
		expect(run.states.find((state) => state.kind === 'reconnecting')).toMatchObject({lastError: expect.stringMatching(/presumed dead/)});
		expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeLessThan(5000);

		const asked = await open({records: 1, complete: 'succeeded'}, {heartbeatSeconds: 7});
		await asked.ended();
		asked.stream.close();
		expect(new URL(server!.requests[0]!.url, 'http://x').searchParams.get('heartbeat')).toBe('7');
	});

	it.each([
		[
			'a proxy\'s HTML page is its status line alone when it only repeats it',
			502,
			'<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n</body>\r\n</html>\r\n',
			'HTTP 502 Bad Gateway',
		],
		[
			'an HTML page without a title gives its text on one line',
			503,
			'<!DOCTYPE html><html><body><h1>Down for maintenance</h1>\n<p>Back at 10:00 &amp; later</p><script>x()</script></body></html>',
			'HTTP 503 Service Unavailable: Down for maintenance Back at 10:00 & later',
		],
	])('%s', async (_name, status, body, expected) => {
		const run = await open({records: 1, answer: () => ({status, headers: {'Content-Type': 'text/html'}, body})});
		await run.until(() => run.states.some((state) => state.kind === 'reconnecting'), 10_000, 'a retry');
		run.stream.close();
		const retry = run.states.find((state) => state.kind === 'reconnecting');
		expect(retry).toMatchObject({lastError: expected});
	});

	it('never reconnects faster than the server\'s retry:', async () => {
		const run = await open({records: 10, retries: [600], cutAt: () => 40});
		await run.until(() => server!.requests.length >= 3, 10_000, 'three connections');
		run.stream.close();
		const [a, b, c] = server!.requests.map((request) => request.at);
		expect(b! - a!).toBeGreaterThanOrEqual(590);
		expect(c! - b!).toBeGreaterThanOrEqual(590);
	});

	it('honours Retry-After on 429 and retries 5xx', async () => {
		const run = await open({
			records: 5,
			complete: 'succeeded',
			answer: (n) =>
				n === 1
					? {status: 429, headers: {'Retry-After': '1'}, body: json('too-many-connections', 'limit reached')}
					: n === 2
						? {status: 503, body: 'draining'}
						: undefined,
		});
		expect(await run.ended()).toMatchObject({kind: 'completed'});
		run.stream.close();
		expect(server!.requests[1]!.at - server!.requests[0]!.at).toBeGreaterThanOrEqual(990);
		const errors = run.states.flatMap((state) => (state.kind === 'reconnecting' ? [state.lastError] : []));
		expect(errors).toEqual(['HTTP 429 Too Many Requests: limit reached', 'HTTP 503 Service Unavailable: draining']);
		// Two refused attempts, then the first connection: nothing was connected again.
		expect(run.stream.stats.reconnects).toBe(0);
	});

	it('on 401 runs --token-command once, retries with the fresh token, and never puts it in the URL', async () => {
		const run = await open(
			{
				records: 5,
				complete: 'succeeded',
				answer: (_n, request) =>
					request.headers.authorization === 'Bearer fresh-token' ? undefined : {status: 401, body: json('unauthorized', 'bad token')},
			},
			{token: 'stale-token', tokenCommand: 'printf "fresh-token\\n"'},
		);
		expect(await run.ended()).toMatchObject({kind: 'completed'});
		run.stream.close();
		expect(server!.requests.map((request) => request.headers.authorization)).toEqual(['Bearer stale-token', 'Bearer fresh-token']);
		expect(server!.requests.every((request) => !request.url.includes('token'))).toBe(true);
		expect(run.notices.map((notice) => notice.kind)).toContain('token-refreshed');
		expect(run.records).toHaveLength(5);
	});

	it('fails when the refreshed token is refused too, without a retry loop', async () => {
		const run = await open(
			{records: 5, answer: () => ({status: 401, body: json('unauthorized', 'bad token')})},
			{token: 'stale', tokenCommand: 'echo still-bad'},
		);
		const final = await run.ended();
		expect(final).toMatchObject({kind: 'failed', reason: expect.stringMatching(/401.*after refreshing/)});
		expect(server!.requests).toHaveLength(2);
		expect(JSON.stringify(run.states)).not.toContain('still-bad');
	});

	it.each([
		[404, 'not-found', 'no automation "nightly-etl"'],
		[403, 'forbidden', 'token lacks the read scope'],
		[400, 'bad-request', 'bad level'],
	])('ends the stream on %i with the server\'s message, without retrying', async (status, code, message) => {
		const run = await open({records: 5, answer: () => ({status, body: json(code, message)})});
		const final = await run.ended();
		expect(final.kind).toBe('failed');
		expect(final.kind === 'failed' && final.reason).toContain(`HTTP ${status}`);
		expect(final.kind === 'failed' && final.reason).toContain(message);
		expect(server!.requests).toHaveLength(1);
		expect(run.stream.stats.reconnects).toBe(0);
	});

	it('fails on a bad source or a missing server instead of throwing', () => {
		const run = collect({source: 'automaton/x', server: 'http://127.0.0.1:1'});
		run.stream.start();
		expect(run.stream.state).toMatchObject({kind: 'failed', reason: expect.stringContaining('unknown source')});
		const noServer = collect({source: 'automation/x'});
		noServer.stream.start();
		expect(noServer.stream.state).toMatchObject({kind: 'failed', reason: expect.stringContaining('--server')});
	});

	it('while paused holds the socket, so backpressure reaches the server, and loses nothing on resume', async () => {
		// 40 MB: more than loopback socket buffers can absorb, so the server must feel the pause.
		const run = await open({records: 20_000, messageChars: 2000, complete: 'succeeded', maxWrite: 65_536});
		run.stream.on('record', () => {
			if (run.records.length === 1) {
				run.stream.pause();
			}
		});
		await run.until(() => run.records.length > 0, 10_000, 'the first record');
		await until(() => server!.blocked(), 'the server to find the socket full', 10_000);
		expect(run.records.length).toBeLessThan(2000);
		expect(run.states.map((state) => state.kind)).toEqual(['connecting', 'live']);
		run.stream.resume();
		expect(await run.ended()).toMatchObject({kind: 'completed'});
		expect(sequenceProblem(run.records, 20_000)).toBeUndefined();
		expect(server!.requests).toHaveLength(1);
	});
});
