import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';

/*
 * A real WebSocket log server for the tests, in the two shapes issue 19 names, with no ids anywhere:
 * - `stratal`: `/api/v1/logs/stream/ws?job_run_id=J` sends live lines only (no `since`), and
 *   `GET /api/v1/logs/job-runs/J?limit&offset` pages the whole job's history;
 * - `forwarder`: `/ws?execution_id=E&since=T` first replays every line from T on (inclusive), then live lines;
 *   `GET /logs?execution_id=E&since=T` answers them as `{logs}`.
 * Lines come in groups of five that share a millisecond, so a resume by timestamp alone loses or repeats
 * lines; in the forwarder shape two of each group have the same text, matched by count in its `since=`
 * replay. (A live-only server replays nothing: where its frames meet history is found by sequence, and two
 * equal lines in the same millisecond on either side of that seam cannot be told from one line sent twice,
 * docs/protocol.md, WebSocket sources; the Stratal shape's lines differ.) Each client is cut after
 * `cutEvery` frames, mid-group.
 */

export type Shape = 'stratal' | 'forwarder';
export type Line = {timestamp: string; level: string; message: string};

export type WsLogServerOptions = {
	shape: Shape;
	/** Lines the job writes before the first client connects (the late-connection case). */
	before?: number;
	/** Lines written in total; the job then stops writing. */
	total: number;
	/** Lines written per 2 ms tick. */
	perTick?: number;
	/** Frames after which the server cuts a client (terminate: no close frame). */
	cutEvery?: number;
	token?: string;
	/** Port to listen on (default 0, an ephemeral one): a restart passes the old one to keep the URL. */
	port?: number;
	/** The job's lines so far, kept across a restart (the array is shared: the new server appends to it). */
	lines?: Line[];
};

export type WsLogServer = {
	url: string;
	origin: string;
	lines: Line[];
	/** Connections accepted so far, with the query each came with. */
	connections: URLSearchParams[];
	historyReads: number;
	start(): void;
	close(): Promise<void>;
};

const BASE = Date.parse('2026-12-05T10:00:00.000Z');

export function lineAt(index: number, twins: boolean): Line {
	return {
		timestamp: new Date(BASE + Math.floor(index / 5)).toISOString(),
		level: index % 11 === 0 ? 'error' : 'info',
		message: twins && index % 5 >= 3 ? 'same text twice at one time' : `line ${index}`,
	};
}

export async function startWsLogServer(options: WsLogServerOptions): Promise<WsLogServer> {
	const lines: Line[] = options.lines ?? [];
	const clients = new Set<{socket: WebSocket; sent: number}>();
	const connections: URLSearchParams[] = [];
	const state = {historyReads: 0};
	const cutEvery = options.cutEvery ?? Number.POSITIVE_INFINITY;
	const wire = (line: Line) => JSON.stringify(options.shape === 'stratal' ? {job_run_id: 'J', task_run_id: 't-1', stream: 'stdout', task_name: 'load', ...line} : line);

	const send = (client: {socket: WebSocket; sent: number}, line: Line) => {
		if (client.sent >= cutEvery) {
			return;
		}

		client.socket.send(wire(line));
		client.sent++;
		if (client.sent >= cutEvery) {
			clients.delete(client);
			client.socket.terminate();
		}
	};

	const write = () => {
		const line = lineAt(lines.length, options.shape === 'forwarder');
		lines.push(line);
		for (const client of clients) {
			send(client, line);
		}
	};

	for (let i = 0; i < (options.before ?? 0); i++) {
		write();
	}

	const authorized = (request: IncomingMessage) => !options.token || request.headers.authorization === `Bearer ${options.token}`;
	const http: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
		const url = new URL(request.url ?? '/', 'http://x');
		if (!authorized(request)) {
			response.writeHead(401, {'content-type': 'application/json'}).end(JSON.stringify({error: 'bad token'}));
			return;
		}

		state.historyReads++;
		if (options.shape === 'stratal' && url.pathname === '/api/v1/logs/job-runs/J') {
			const limit = Number(url.searchParams.get('limit') ?? 100);
			const offset = Number(url.searchParams.get('offset') ?? 0);
			// Stratal's history leaves out the job (it is in the path).
			const logs = lines.slice(offset, offset + limit).map((line, i) => ({id: offset + i + 1, task_run_id: 't-1', stream: 'stdout', ...line}));
			response.writeHead(200, {'content-type': 'application/json'});
			response.end(JSON.stringify({logs, pagination: {total: lines.length, limit, offset, count: logs.length}}));
			return;
		}

		if (options.shape === 'forwarder' && url.pathname === '/logs') {
			const since = url.searchParams.get('since');
			const logs = since ? lines.filter((line) => line.timestamp >= since) : lines;
			response.writeHead(200, {'content-type': 'application/json'}).end(JSON.stringify({logs}));
			return;
		}

		response.writeHead(404).end('not here');
	});
	const wss = new WebSocketServer({noServer: true});
	http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
		const url = new URL(request.url ?? '/', 'http://x');
		const path = options.shape === 'stratal' ? '/api/v1/logs/stream/ws' : '/ws';
		if (url.pathname !== path || !authorized(request)) {
			socket.end(`HTTP/1.1 ${authorized(request) ? '404 Not Found' : '401 Unauthorized'}\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\n`);
			return;
		}

		wss.handleUpgrade(request, socket, head, (ws) => {
			connections.push(url.searchParams);
			const client = {socket: ws, sent: 0};
			const since = url.searchParams.get('since');
			if (options.shape === 'forwarder' && since) {
				for (const line of lines.filter((line) => line.timestamp >= since)) {
					send(client, line);
				}
			}

			if (client.sent < cutEvery) {
				clients.add(client);
			}

			ws.on('close', () => clients.delete(client));
		});
	});
	await new Promise<void>((resolve, reject) => {
		http.once('error', reject);
		http.listen(options.port ?? 0, '127.0.0.1', resolve);
	});
	const {port} = http.address() as AddressInfo;
	let timer: NodeJS.Timeout | undefined;
	const path = options.shape === 'stratal' ? '/api/v1/logs/stream/ws?job_run_id=J' : '/ws?execution_id=E';
	return {
		url: `ws://127.0.0.1:${port}${path}`,
		origin: `http://127.0.0.1:${port}`,
		lines,
		connections,
		get historyReads() {
			return state.historyReads;
		},
		start() {
			timer = setInterval(() => {
				for (let i = 0; i < (options.perTick ?? 10) && lines.length < options.total; i++) {
					write();
				}

				if (lines.length >= options.total) {
					clearInterval(timer);
				}
			}, 2);
		},
		async close() {
			clearInterval(timer);
			for (const client of wss.clients) {
				client.terminate();
			}

			http.closeAllConnections();
			await new Promise((resolve) => http.close(resolve));
		},
	};
}
