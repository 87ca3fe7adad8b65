import {connect} from 'node:net';
import {describe, expect, it} from 'vitest';
import {useServerFixture} from './server-fixture.js';

/** Sends `request` on a raw socket and resolves with the status line and headers (lower-cased names). */
async function rawHead(port: number, request: string): Promise<{status: string; headers: Map<string, string[]>}> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1', () => socket.write(request));
		let text = '';
		const timer = setTimeout(() => {
			socket.destroy();
			reject(new Error(`no complete response head within 5 s: ${JSON.stringify(text)}`));
		}, 5000);
		socket.setEncoding('latin1');
		socket.on('data', (chunk: string) => {
			text += chunk;
			const end = text.indexOf('\r\n\r\n');
			if (end < 0) {return;}
			clearTimeout(timer);
			socket.destroy();
			const [status, ...lines] = text.slice(0, end).split('\r\n');
			const headers = new Map<string, string[]>();
			for (const line of lines) {
				const colon = line.indexOf(':');
				const name = line.slice(0, colon).trim().toLowerCase();
				headers.set(name, [...(headers.get(name) ?? []), line.slice(colon + 1).trim()]);
			}

			resolve({status: status!, headers});
		});
		socket.on('error', reject);
	});
}

describe('HTTP/1.0 clients', () => {
	const current = useServerFixture();

	it('are never told keep-alive (a stream has no length: its end is the end of the connection), on streams and JSON answers', async () => {
		const server = await current().start();
		const old = await rawHead(server.port, 'GET /api/logs/stream HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
		expect(old.status).toMatch(/^HTTP\/1\.[01] 200 /);
		expect(old.headers.get('content-type')).toEqual(['text/event-stream; charset=utf-8']);
		expect(old.headers.get('connection')).toEqual(['close']);
		expect(old.headers.has('keep-alive')).toBe(false);
		expect(old.headers.has('transfer-encoding')).toBe(false);

		// Even when it asks for keep-alive: without chunks a stream can only end with its connection.
		const asking = await rawHead(server.port, 'GET /api/logs/stream HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n');
		expect(asking.headers.get('connection')).toEqual(['close']);

		// HTTP/1.1 still keeps the connection: the stream is chunked.
		const current11 = await rawHead(server.port, 'GET /api/logs/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
		expect(current11.headers.get('connection')).toEqual(['keep-alive']);
		expect(current11.headers.get('transfer-encoding')).toEqual(['chunked']);

		const answer = await rawHead(server.port, 'GET /api/catalog HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n');
		expect(answer.status).toMatch(/ 200 /);
		expect(answer.headers.get('connection')).toEqual(['close']);
	});
});
