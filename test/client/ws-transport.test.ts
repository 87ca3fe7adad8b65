import {createServer as createTcpServer, type AddressInfo, type Socket} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {collect} from './collect.js';
import {wsServer} from './ws-test-server.js';

/*
 * The WebSocket transport (ws-connection.ts) under LogStream, against real servers: the token on the upgrade
 * and not in the URL, refusals of the upgrade said as for SSE, a close's code and reason, binary and oversize
 * frames, a server gone silent (the watchdog, fed by pings) and one that never answers the upgrade.
 */

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
	await Promise.all(closers.splice(0).map(async (close) => close()));
});

describe('the WebSocket transport', () => {
	it('sends the token on the upgrade, never in the URL, and reads text frames as lines (JSON or not)', async () => {
		const server = await wsServer(closers, (socket) => {
			socket.send(JSON.stringify({timestamp: '2026-12-05T10:00:00.000Z', level: 'warn', message: 'json line'}));
			socket.send('plain \u001B[31mtext\u001B[0m line');
		});
		const stream = collect({source: server.url, token: 'sekret'});
		stream.stream.start();
		await stream.until(() => stream.records.length === 2);
		expect(server.requests[0]!.headers.authorization).toBe('Bearer sekret');
		expect(server.requests[0]!.url).not.toContain('sekret');
		expect(stream.records[0]).toMatchObject({level: 'WARN', message: 'json line'});
		// Not JSON: a generic line, its control characters neutralized.
		expect(stream.records[1]!.message).not.toContain('\u001B');
		expect(stream.records[1]!.message).toContain('text');
		stream.stream.close();
	});

	it.each([
		['HTTP/1.1 401 Unauthorized\r\ncontent-type: application/json\r\nconnection: close\r\n\r\n{"error":"bad token"}', /^HTTP 401 Unauthorized: bad token/],
		['HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\nno such job', /^HTTP 404 Not Found: no such job$/],
		['HTTP/1.1 426 Upgrade Required\r\nconnection: close\r\n\r\n', /^HTTP 426 Upgrade Required$/],
	])('says an HTTP answer to the upgrade as it says one to SSE (%#)', async (answer, said) => {
		const server = await wsServer(closers, () => {}, {refuse: () => answer});
		const stream = collect({source: server.url});
		stream.stream.start();
		const end = await stream.ended();
		expect(end.kind).toBe('failed');
		expect((end as {reason: string}).reason).toMatch(said);
	});

	it('says a close code and reason, and connects again', async () => {
		let connections = 0;
		const server = await wsServer(closers, (socket) => {
			connections++;
			if (connections === 1) {
				socket.close(1011, 'backend \u001B]0;gone');
			}
		});
		const stream = collect({source: server.url});
		stream.stream.start();
		await stream.until(() => stream.states.some((state) => state.kind === 'reconnecting'));
		const reconnecting = stream.states.find((state) => state.kind === 'reconnecting') as {lastError: string};
		expect(reconnecting.lastError).toMatch(/^the server closed the WebSocket \(1011 backend .*gone\)$/);
		expect(reconnecting.lastError).not.toContain('\u001B');
		await stream.until(() => connections === 2 && stream.stream.state.kind === 'live');
		stream.stream.close();
	});

	it('says a binary frame once and skips it, and cuts a frame over the line limit', async () => {
		const server = await wsServer(closers, (socket) => {
			socket.send(Buffer.from([1, 2, 3]));
			socket.send(Buffer.from([4]));
			socket.send('x'.repeat(1024 * 1024 + 10));
			socket.send('after');
		});
		const stream = collect({source: server.url});
		stream.stream.start();
		await stream.until(() => stream.records.some((record) => record.message === 'after'));
		expect(stream.notices.filter((notice) => notice.message.includes('binary'))).toHaveLength(1);
		expect(stream.notices.find((notice) => notice.kind === 'truncated')?.message).toMatch(/cut to 1048576/);
		expect(stream.records).toHaveLength(2);
		expect(stream.records[0]!.message).toHaveLength(1024 * 1024);
		stream.stream.close();
	});

	it('ends a connection that goes silent (no pong to its pings) and connects again', async () => {
		let connections = 0;
		const server = await wsServer(closers, (socket, _request, raw) => {
			connections++;
			socket.send('hello');
			// Read nothing more: the client's pings go unanswered, as over a dead link.
			if (connections === 1) {
				raw.pause();
			}
		});
		const stream = collect({source: server.url, heartbeatSeconds: 0.4});
		stream.stream.start();
		await stream.until(() => connections === 2, 10_000, 'a second connection');
		const reconnecting = stream.states.find((state) => state.kind === 'reconnecting') as {lastError: string};
		expect(reconnecting.lastError).toMatch(/^no data for \S+: connection presumed dead$/);
		stream.stream.close();
	});

	it('retries a server that never answers the upgrade, and gives up at --connect-timeout', async () => {
		const sockets = new Set<Socket>();
		const tcp = createTcpServer((socket) => {
			sockets.add(socket);
		});
		await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
		closers.push(async () => {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise((resolve) => tcp.close(resolve));
		});
		const {port} = tcp.address() as AddressInfo;
		const stream = collect({source: `ws://127.0.0.1:${port}/stream`, timeouts: {connectMs: 150}, giveUpAfterMs: 1500});
		stream.stream.start();
		const end = await stream.ended(10_000);
		const reconnecting = stream.states.find((state) => state.kind === 'reconnecting') as {lastError: string};
		expect(reconnecting.lastError).toBe(`no answer from 127.0.0.1:${port} within 300ms`);
		expect(end.kind).toBe('failed');
		expect(sockets.size).toBeGreaterThan(1);
	});
});
