import type http from 'node:http';
import type WebSocket from 'ws';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';
import type {SseMessage} from './dialects/index.js';
import {answerError, NoAnswerError, type Timeouts} from './sse-connection.js';
import type {StreamNotice} from './types.js';

/*
 * One WebSocket connection to a log stream (ws:// or wss://), the second transport under LogStream beside
 * sse-connection.ts. It never retries: LogStream decides what happens after every end. A text frame is one
 * message, handed on as an SSE `data` would be (the dialects read both alike); pings go out so a dead peer
 * shows as silence to the watchdog, and every frame and pong counts as life.
 */

/**
 * The longest line kept: what the reference server keeps of one line (1 MiB, parse-batch.ts). A longer text
 * frame is cut there and said; it is read as text, since its JSON no longer closes.
 */
export const MAX_FRAME_CHARS = 1024 * 1024;
/** Past this the `ws` package itself refuses the frame and closes with 1009: a broken or hostile server. */
const MAX_PAYLOAD_BYTES = 16 * 1024 * 1024;

export type WsHandlers = {
	onOpen(): void;
	onBytes(): void;
	onMessage(message: SseMessage): void;
	onNotice(kind: StreamNotice['kind'], message: string): void;
	/** Resolves when the reader may go on; lets a slow consumer hold the socket (TCP backpressure). */
	whenReady(): Promise<void> | undefined;
};

/** The server closed the WebSocket; the message says its code and reason. */
export class WsClosedError extends Error {
	override name = 'WsClosedError';
	constructor(readonly code: number, reason: string) {
		const said = sanitizeInline(reason).slice(0, 200);
		super(`the server closed the WebSocket (${code === 1005 ? 'no close code' : code}${said ? ` ${said}` : ''})`);
	}
}

/** `ws://` or `wss://`: the URLs read by readWs rather than readSse. */
export function isWsUrl(url: URL): boolean {
	return url.protocol === 'ws:' || url.protocol === 'wss:';
}

/**
 * Opens `url` with `headers` on the upgrade request (a token goes there, never into the URL), and reads it
 * until it closes. Rejects with HttpError when the upgrade is answered with anything but 101 (the same
 * line as for SSE), NoAnswerError when no answer comes in time, WsClosedError when the server closes (with
 * whatever code: even a normal close is a stream that ended, to be resumed), a plain Error on a drop.
 */
export async function readWs(
	url: URL,
	headers: Record<string, string>,
	signal: AbortSignal,
	handlers: WsHandlers,
	options: {timeouts?: Timeouts; pingMs: number},
): Promise<void> {
	signal.throwIfAborted();
	// Loaded on the first ws:// source only: most streams are SSE, and ws costs a follow's start tens of ms.
	const {default: WebSocketClient} = await import('ws');
	signal.throwIfAborted();
	const socket = new WebSocketClient(url, {headers, maxPayload: MAX_PAYLOAD_BYTES, perMessageDeflate: false, followRedirects: true, maxRedirects: 5});
	let ping: NodeJS.Timeout | undefined;
	let answerTimer: NodeJS.Timeout | undefined;
	let saidBinary = false;
	let saidCut = false;
	try {
		await new Promise<void>((_resolve, reject) => {
			let settled = false;
			const fail = (error: Error) => {
				if (!settled) {
					settled = true;
					socket.terminate();
					reject(error);
				}
			};

			const onAbort = () => {
				fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
			};

			signal.addEventListener('abort', onAbort, {once: true});
			// A WebSocket server answers the upgrade at once (no server holds it for a first line), so an
			// attempt that has no answer after the connect and answer timeouts is retried, as for SSE.
			const {connectMs, answerMs} = options.timeouts ?? {};
			const waitMs = connectMs === undefined ? undefined : connectMs + (answerMs ?? connectMs);
			if (waitMs !== undefined) {
				answerTimer = setTimeout(() => {
					fail(new NoAnswerError(`no answer from ${url.host} within ${formatDuration(waitMs)}`));
				}, waitMs);
			}

			socket.on('unexpected-response', (_request: http.ClientRequest, response: http.IncomingMessage) => {
				handlers.onBytes();
				void answerError(response).then(fail, fail);
			});
			socket.on('upgrade', () => {
				handlers.onBytes();
			});
			socket.on('open', () => {
				clearTimeout(answerTimer);
				handlers.onOpen();
				ping = setInterval(() => {
					socket.ping();
				}, options.pingMs);
			});
			socket.on('pong', () => {
				handlers.onBytes();
			});
			socket.on('ping', () => {
				handlers.onBytes();
			});
			socket.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
				handlers.onBytes();
				if (isBinary) {
					if (!saidBinary) {
						saidBinary = true;
						handlers.onNotice('unreadable', 'the server sent a binary WebSocket frame: skipped (log lines are text frames); later ones are skipped too');
					}

					return;
				}

				// A Buffer (ws's default binaryType): decoded where it lies, not copied first.
				let text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
				if (text.length > MAX_FRAME_CHARS) {
					if (!saidCut) {
						saidCut = true;
						handlers.onNotice('truncated', `a WebSocket frame of ${text.length} characters was cut to ${MAX_FRAME_CHARS} and shown as text; later ones are cut too`);
					}

					text = text.slice(0, MAX_FRAME_CHARS);
				}

				handlers.onMessage({data: text});
				const ready = handlers.whenReady();
				if (ready) {
					socket.pause();
					void ready.then(() => {
						socket.resume();
					});
				}
			});
			socket.on('close', (code: number, reason: Buffer) => {
				signal.removeEventListener('abort', onAbort);
				if (settled) {
					return;
				}

				settled = true;
				// 1005: no code was sent; 1006: the connection dropped without a close frame.
				if (code === 1006) {
					reject(new Error('the connection closed mid-stream'));
				} else {
					reject(new WsClosedError(code, reason.toString('utf8')));
				}
			});
			socket.on('error', (error: Error) => {
				fail(error);
			});
		});
	} finally {
		clearInterval(ping);
		clearTimeout(answerTimer);
		socket.removeAllListeners('message');
		// The library emits errors after a terminate too: nobody must crash for them.
		socket.on('error', () => {});
		socket.terminate();
	}
}
