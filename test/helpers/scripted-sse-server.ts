import http from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {seeded} from './hostile-sse-server.js';

/*
 * An SSE server that sends exactly the bytes a test gives it, for conformance cases: connection n gets
 * `script(n)`: a status, headers and a body, written in seeded random slices of 1 to `maxWrite` bytes
 * (splits land inside lines, inside CRLF and inside UTF-8 characters), then the response ends. Every
 * request is kept with its raw Last-Event-ID bytes, read as UTF-8.
 */

/** `maxWrite` overrides the server's slice size for this answer (a 1 MB line in 3-byte writes takes too long). */
export type ScriptedAnswer = {status?: number; contentType?: string; body?: string | Buffer; maxWrite?: number};

export type ScriptedRequest = {url: string; lastEventId?: string; headers: http.IncomingHttpHeaders};

export type ScriptedServer = {
	url: string;
	requests: ScriptedRequest[];
	close(): Promise<void>;
};

export async function startScriptedServer(
	script: (connection: number) => ScriptedAnswer,
	options: {maxWrite?: number; seed?: number} = {},
): Promise<ScriptedServer> {
	const random = seeded(options.seed ?? 7);
	const requests: ScriptedRequest[] = [];
	const sockets = new Set<Socket>();
	const server = http.createServer((request, response) => {
		// node hands a header's bytes over as Latin-1 code units: turn them back into bytes, then UTF-8.
		const header = request.headers['last-event-id'];
		const raw = Array.isArray(header) ? header.join(',') : header;
		const lastEventId = raw === undefined ? undefined : Buffer.from(raw, 'latin1').toString('utf8');
		requests.push({url: request.url ?? '', headers: request.headers, ...(raw === undefined ? {} : {lastEventId})});
		const answer = script(requests.length);
		const status = answer.status ?? 200;
		response.writeHead(status, status === 204 ? {} : {'Content-Type': answer.contentType ?? 'text/event-stream', 'Cache-Control': 'no-cache'});
		void write(response, Buffer.from(answer.body ?? ''), answer.maxWrite ?? options.maxWrite ?? 3);
	});
	server.on('connection', (socket) => {
		socket.setNoDelay(true);
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});

	async function write(response: http.ServerResponse, bytes: Buffer, maxWrite: number): Promise<void> {
		let offset = 0;
		while (offset < bytes.length && !response.destroyed) {
			const size = Math.min(1 + Math.floor(random() * maxWrite), bytes.length - offset);
			const ok = response.write(bytes.subarray(offset, offset + size));
			offset += size;
			// Each slice its own packet: the client's parser sees the splits.
			await (ok ? new Promise((resolve) => setImmediate(resolve)) : new Promise((resolve) => response.once('drain', resolve)));
		}

		response.end();
	}

	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/stream`,
		requests,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
