import http from 'node:http';
import {connect, type AddressInfo, type Socket} from 'node:net';
import {describe, expect, it} from 'vitest';
import {ServerMetrics} from '../../source/server/metrics.js';
import {directSocket} from '../../source/server/sse/direct-write.js';
import {FrameQueue} from '../../source/server/sse/frame-queue.js';
import type {Frame} from '../../source/server/sse/log-frames.js';
import {QueueBudget} from '../../source/server/sse/queue-budget.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {until} from '../helpers/until.js';
import {useServerFixture} from './server-fixture.js';

/*
 * Once a stream's head is sent, frames go straight to its socket as bytes made once (an HTTP/1.1 chunk, or the
 * bare text to an HTTP/1.0 client), and what waited for one client goes out as one chunk. Read here on raw
 * sockets, so every byte of the framing is checked, not what an HTTP client makes of it.
 */

/** A raw connection's bytes so far. */
function rawStream(port: number, request: string): {bytes: () => Buffer; close: () => void} {
	const chunks: Buffer[] = [];
	const socket = connect(port, '127.0.0.1', () => socket.write(request));
	socket.on('data', (chunk: Buffer) => chunks.push(chunk));
	return {bytes: () => Buffer.concat(chunks), close: () => socket.destroy()};
}

/** The body of an HTTP/1.1 answer, its chunks decoded strictly; undefined while a chunk is incomplete. */
function dechunk(raw: Buffer): string | undefined {
	let at = raw.indexOf('\r\n\r\n') + 4;
	const parts: Buffer[] = [];
	while (at < raw.length) {
		const line = raw.indexOf('\r\n', at);
		if (line < 0) {return undefined;}
		const size = raw.toString('latin1', at, line);
		expect(size).toMatch(/^[\da-f]+$/);
		const start = line + 2;
		const end = start + Number.parseInt(size, 16);
		if (raw.length < end + 2) {return undefined;}
		expect(raw.toString('latin1', end, end + 2)).toBe('\r\n');
		parts.push(raw.subarray(start, end));
		at = end + 2;
	}

	return Buffer.concat(parts).toString('utf8');
}

const messages = (body: string) => [...body.matchAll(/"message":"([^"]*)"/g)].map((match) => match[1]);
const ids = (body: string) => [...body.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));

describe('frames written straight to the socket', () => {
	const current = useServerFixture();

	it('are whole HTTP/1.1 chunks, and the bare text to an HTTP/1.0 client, byte for byte, in order, once', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'etl'});
		const path = '/api/logs/stream?initial=0';
		const chunked = rawStream(server.port, `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
		const bare = rawStream(server.port, `GET ${path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
		try {
			for (const stream of [chunked, bare]) {await until(() => stream.bytes().includes('"connected"'), 'connected');}
			// Several batches (shared frames of several records, and of one), with text of 2, 3 and 4 bytes a character.
			const sent: string[] = [];
			for (let batch = 0; batch < 4; batch++) {
				const lines = Array.from({length: batch + 1}, (_, index) => `b${batch}.${index} é € 😀`);
				sent.push(...lines);
				await ingest(server.url, undefined, runId, lines.map((message) => ({level: 'INFO', message})));
			}

			await until(() => messages(dechunk(chunked.bytes()) ?? '').length === sent.length, 'every line, chunked');
			await until(() => messages(bare.bytes().toString('utf8')).length === sent.length, 'every line, bare');
			const body11 = dechunk(chunked.bytes())!;
			const head10 = bare.bytes().indexOf('\r\n\r\n') + 4;
			const body10 = bare.bytes().subarray(head10).toString('utf8');
			expect(messages(body11)).toEqual(sent);
			expect(ids(body11)).toEqual(sent.map((_, index) => index + 1));
			// No chunk framing to an HTTP/1.0 client: the same events, as text.
			expect(body10).not.toMatch(/\r\n/);
			expect(messages(body10)).toEqual(sent);
			expect(ids(body10)).toEqual(ids(body11));
		} finally {
			chunked.close();
			bare.close();
		}
	});

	it('send the frames that waited for a client as one chunk, and each client exactly its own', async () => {
		const metrics = new ServerMetrics();
		const budget = new QueueBudget(256 * 1024 * 1024, 30_000, metrics);
		const frame = (text: string): Frame => ({text, bytes: Buffer.byteLength(text), shared: true});
		const [a, b, c] = [frame('data: a\n\n'), frame('data: b é\n\n'), frame('data: c\n\n')];
		const plans = [[a, b], [a, b], [a, c], [a, b, c]];
		const queues: FrameQueue[] = [];
		const server = http.createServer((_req, res) => {
			res.writeHead(200, {'content-type': 'text/event-stream'});
			const queue = new FrameQueue(res, {maxEvents: 100, maxBytes: 1024 * 1024}, metrics, budget, () => {});
			queue.push(': open\n\n');
			queues.push(queue);
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const {port} = server.address() as AddressInfo;
		const streams = plans.map(() => rawStream(port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
		try {
			await until(() => streams.every((stream) => dechunk(stream.bytes()) === ': open\n\n'), 'every head and first frame');
			// In one turn: each queue holds its frames when the pump comes.
			for (const [index, plan] of plans.entries()) {
				for (const each of plan) {queues[index]!.pushFrame(each);}
			}

			await until(() => streams.every((stream, index) => dechunk(stream.bytes()) === `: open\n\n${plans[index]!.map((each) => each.text).join('')}`), 'every frame');
			for (const stream of streams) {
				const raw = stream.bytes();
				// The head's chunk, then one chunk of the frames that waited.
				expect(raw.subarray(raw.indexOf('\r\n\r\n') + 4).toString('latin1').match(/(^|\r\n)[\da-f]+\r\n/g)).toHaveLength(2);
			}
		} finally {
			for (const stream of streams) {stream.close();}
			budget.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		}
	});
});

describe('the internals a direct write reads', () => {
	const frame: Frame = {text: 'data: a\n\n', bytes: 9, shared: true};
	/** A sent answer that owns its socket, as Node 20 shows it, with `change` applied. */
	const answer = (change: Record<string, unknown>) => {
		const socket = {} as Socket & {_httpMessage?: unknown};
		const res = {socket, _headerSent: true, _hasBody: true, chunkedEncoding: true, outputData: [], ...change} as unknown as http.ServerResponse;
		socket._httpMessage = res;
		return {res, socket};
	};

	it('are used when each is as Node has it, and the response writes when one is missing (another Node)', () => {
		const {res, socket} = answer({});
		expect(directSocket(res, socket, frame)).toBe(socket);
		for (const missing of ['_headerSent', 'chunkedEncoding', 'outputData']) {
			const other = answer({[missing]: undefined});
			expect(directSocket(other.res, other.socket, frame), missing).toBeUndefined();
		}
	});
});
