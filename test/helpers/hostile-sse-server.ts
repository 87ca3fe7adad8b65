import type {Socket} from 'node:net';
import http from 'node:http';
import type {AddressInfo} from 'node:net';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import {sseComment, sseEvent, sseRetry} from '../../source/protocol/sse.js';

/*
 * An SSE server that does everything a real network and a sloppy server can do to a client, on a real
 * socket: frames split across writes anywhere, CR / LF / CRLF endings, a BOM, comments, `retry:` changes,
 * disconnects mid-frame, overlap replayed before the resume point, skipped records (seq gaps) that only
 * history has, epoch changes, silence, and any HTTP status. Random choices come from a seeded generator,
 * so a failure can be replayed.
 */

export type Answer = {status: number; headers?: Record<string, string>; body?: string};

export type HostileOptions = {
	/** Records 1..n of run `r-1` (id = seq). */
	records: number;
	/** Pad every message to about this many characters (more bytes than socket buffers hold). */
	messageChars?: number;
	seed?: number;
	/** Sent after the last record; without it the stream stays open (heartbeats only). */
	complete?: 'succeeded' | 'failed' | 'cancelled';
	/** Cut the socket after a random number of bytes in this range (mid-frame, usually). */
	disconnectAfterBytes?: [number, number];
	/** Cut connection n after exactly this many bytes (wins over disconnectAfterBytes). */
	cutAt?: (connection: number) => number | undefined;
	/** Writes are random slices of 1..maxWrite bytes (1: every byte its own write). */
	maxWrite?: number;
	/** Line endings, chosen per connection in turn. */
	endings?: Array<'\n' | '\r' | '\r\n'>;
	bom?: boolean;
	/** A comment line every n events. */
	commentEvery?: number;
	/** `retry:` values sent in turn, one per connection. */
	retries?: number[];
	/** Replay up to this many records before the resume point. */
	overlap?: number;
	/** Seqs left out of the live stream (history still has them), on the first connection only. */
	skip?: Set<number>;
	/** The epoch to announce on connection n (1-based). */
	epoch?: (connection: number) => string;
	/** An answer other than the stream for connection n. */
	answer?: (connection: number, request: http.IncomingMessage) => Answer | undefined;
	/** Connection n sends its headers and `connected`, then nothing at all. */
	silent?: (connection: number) => boolean;
	heartbeatMs?: number;
	/** Send dbtail's `connected` status first (default true; other dialects' servers do not). */
	hello?: boolean;
	/** The frame for a record on connection n (default: dbtail `{"type":"log","data":record}` with its id). */
	frame?: (record: StoredLogRecord, connection: number) => string;
	/** Answer `GET /healthz` as dbtail does (default true); false: 404, as another server would. */
	healthz?: boolean;
	/** Listen on this port (default: any free one), e.g. to come back where a closed server was. */
	port?: number;
};

export type SeenRequest = {url: string; headers: http.IncomingHttpHeaders; at: number};

export type HostileServer = {
	url: string;
	records: StoredLogRecord[];
	requests: SeenRequest[];
	/** History requests (gap backfill) seen. */
	historyRequests: SeenRequest[];
	/** True while the server waits for the client to read (its socket is full: TCP backpressure). */
	blocked(): boolean;
	close(): Promise<void>;
};

/** mulberry32: small, seeded, good enough to pick split points. */
export function seeded(seed: number): () => number {
	let state = seed >>> 0;
	return () => {
		state = (state + 0x6d_2b_79_f5) >>> 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
	};
}

export function makeRecords(count: number, runId = 'r-1'): StoredLogRecord[] {
	const start = Date.parse('2026-11-22T10:30:00.000Z');
	return Array.from({length: count}, (_, index) => ({
		id: String(index + 1),
		seq: index + 1,
		runId,
		timestamp: new Date(start + index).toISOString(),
		level: index % 17 === 0 ? 'WARN' : 'INFO',
		message: `line ${index + 1}${index % 101 === 0 ? '\nsecond line' : ''}`,
		automationId: 'nightly-etl',
		taskId: 'extract',
	}));
}

export function dbtailFrame(record: StoredLogRecord): string {
	return sseEvent({type: 'log', data: record}, record.id);
}

function withEnding(text: string, ending: string): string {
	return ending === '\n' ? text : text.replaceAll('\n', ending);
}

export async function startHostileServer(options: HostileOptions): Promise<HostileServer> {
	const random = seeded(options.seed ?? 1);
	const records = makeRecords(options.records);
	if (options.messageChars) {
		for (const record of records) {
			record.message = record.message.padEnd(options.messageChars, '.');
		}
	}

	const requests: SeenRequest[] = [];
	const historyRequests: SeenRequest[] = [];
	const sockets = new Set<Socket>();
	let blocked = false;
	const between = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));

	const server = http.createServer((request, response) => {
		const url = new URL(request.url ?? '/', 'http://x');
		const seen = {url: request.url ?? '', headers: request.headers, at: Date.now()};
		// What a dbtail server answers besides streams, kept out of `requests` (those count stream attempts).
		if (url.pathname === '/healthz') {
			const found = options.healthz ?? true;
			response.writeHead(found ? 200 : 404, {'Content-Type': 'application/json'}).end(found ? '{"ok":true,"epoch":"e1"}' : '{}');
			return;
		}

		if (url.pathname === '/api/stream/status') {
			response.writeHead(200, {'Content-Type': 'application/json'}).end('{"connections":0,"streams":[]}');
			return;
		}

		if (url.pathname.endsWith('/logs') && url.searchParams.get('stream') !== 'true' && !url.pathname.includes('/stream')) {
			historyRequests.push(seen);
			const after = Number(url.searchParams.get('after') ?? 0);
			const before = Number(url.searchParams.get('before') ?? Number.POSITIVE_INFINITY);
			const limit = Number(url.searchParams.get('limit') ?? 1000);
			const logs = records.filter((r) => Number(r.id) > after && Number(r.id) < before).slice(0, limit);
			const next = logs.length === limit ? logs.at(-1)!.id : null;
			response.writeHead(200, {'Content-Type': 'application/json'}).end(JSON.stringify({logs, next}));
			return;
		}

		requests.push(seen);
		const connection = requests.length;
		const answer = options.answer?.(connection, request);
		if (answer) {
			response.writeHead(answer.status, answer.headers).end(answer.body ?? '');
			return;
		}

		void stream(request, response, connection);
	});
	server.on('connection', (socket) => {
		socket.setNoDelay(true);
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});

	async function stream(request: http.IncomingMessage, response: http.ServerResponse, connection: number): Promise<void> {
		const ending = options.endings?.[(connection - 1) % options.endings.length] ?? '\n';
		const lastId = Number(request.headers['last-event-id'] ?? 0);
		const overlap = options.overlap ? between(0, options.overlap) : 0;
		const from = Math.max(0, lastId - overlap);
		response.writeHead(200, {'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache'});
		let text = options.bom ? '\uFEFF' : '';
		const retry = options.retries?.[(connection - 1) % options.retries.length];
		if (retry !== undefined) {
			text += sseRetry(retry);
		}

		const epoch = options.epoch?.(connection) ?? 'e1';
		const heartbeatMs = options.heartbeatMs ?? 15_000;
		if (options.hello ?? true) {
			text += sseEvent({type: 'status', status: 'connected', stream: 'automation/nightly-etl', runId: 'r-1', epoch, heartbeatMs});
		}

		if (options.silent?.(connection)) {
			response.write(withEnding(text, ending));
			return;
		}

		const frame = options.frame ?? dbtailFrame;
		let events = 0;
		for (const record of records.slice(from)) {
			if (connection === 1 && options.skip?.has(record.seq)) {
				continue;
			}

			text += frame(record, connection);
			if (options.commentEvery && ++events % options.commentEvery === 0) {
				text += sseComment(`keepalive ${events}`);
			}
		}

		if (options.complete) {
			text += sseEvent({type: 'status', status: 'completed', runId: 'r-1', result: options.complete, durationMs: 1234});
		}

		const bytes = Buffer.from(withEnding(text, ending));
		const cutAt =
			options.cutAt?.(connection) ??
			(options.disconnectAfterBytes ? between(...options.disconnectAfterBytes) : Number.POSITIVE_INFINITY);
		const maxWrite = options.maxWrite ?? 65_536;
		let offset = 0;
		while (offset < bytes.length && !response.destroyed) {
			const size = Math.min(between(1, maxWrite), bytes.length - offset, Math.max(1, cutAt - offset));
			const ok = response.write(bytes.subarray(offset, offset + size));
			offset += size;
			if (offset >= cutAt) {
				// Let what was written leave first (node corks the first write until the next tick), then cut.
				 
				await new Promise((resolve) => setImmediate(resolve));
				response.socket?.destroy();
				return;
			}

			// Yield so small writes leave as separate packets; wait when the client is slower than us.
			blocked = !ok;
			 
			await (ok ? new Promise((resolve) => setImmediate(resolve)) : new Promise((resolve) => response.once('drain', resolve)));
			blocked = false;
		}

		if (options.complete) {
			response.end();
		}
	}

	await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		records,
		requests,
		historyRequests,
		blocked: () => blocked,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
