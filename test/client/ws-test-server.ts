import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http';
import type {AddressInfo, Socket} from 'node:net';
import {WebSocketServer, type WebSocket} from 'ws';

/**
 * A WebSocket server whose connections `onConnection` drives; `refuse` answers the upgrade with a status instead,
 * `onRequest` any other request (404 without it). Closed by the function it pushes on `closers`.
 */
export async function wsServer(
	closers: Array<() => Promise<void>>,
	onConnection: (socket: WebSocket, request: IncomingMessage, raw: Socket) => void,
	{refuse, onRequest}: {refuse?: (request: IncomingMessage) => string | undefined; onRequest?: (request: IncomingMessage, response: ServerResponse) => void} = {},
): Promise<{url: string; requests: IncomingMessage[]}> {
	const http: Server = createHttpServer(onRequest ?? ((_request, response) => response.writeHead(404).end()));
	const wss = new WebSocketServer({noServer: true});
	const requests: IncomingMessage[] = [];
	http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => {
		requests.push(request);
		const refusal = refuse?.(request);
		if (refusal) {
			socket.end(refusal);
			return;
		}

		wss.handleUpgrade(request, socket, head, (ws) => {
			onConnection(ws, request, socket);
		});
	});
	await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
	closers.push(async () => {
		for (const client of wss.clients) {
			client.terminate();
		}

		http.closeAllConnections();
		await new Promise((resolve) => http.close(resolve));
	});
	return {url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}/stream`, requests};
}
