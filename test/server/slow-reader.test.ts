import http from 'node:http';
import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {ServerMetrics} from '../../source/server/metrics.js';
import {FrameQueue} from '../../source/server/sse/frame-queue.js';
import {QueueBudget, type CutReason} from '../../source/server/sse/queue-budget.js';
import {until} from '../helpers/until.js';

/*
 * The write timeout cuts a client whose socket takes nothing for it (docs/protocol.md, Backpressure), not
 * one that reads slowly: each part of a write the kernel takes restarts the clock, not only a full drain.
 *
 * Over a real socket on loopback, Linux buffers megabytes and wakes the writer in steps of about a third of
 * its send buffer, so a 64 KiB slice is always taken whole in one step and a drain follows every step. On a
 * network with small buffers the kernel takes a slice piece by piece: a reader taking 2 KB/s drained one in
 * 32 s and was cut at 30 s. Here one large write made before the queue's own stands in for that: the socket
 * takes it in steps for seconds, the queue behind it never drains, and the client reads all along.
 */

const WRITE_TIMEOUT_MS = 2000;
/** The write the socket takes step by step: at the client's pace, far longer than the write timeout. */
const LARGE_WRITE = 'x'.repeat(24 * 1024 * 1024);
/** Frames behind it, in the queue: it is never empty while the large write goes out. */
const FRAMES = Array.from({length: 64}, (_, index) => `data: ${String(index).padStart(4, '0')} ${'y'.repeat(16 * 1024)}\n\n`);
const TOTAL_BYTES = LARGE_WRITE.length + FRAMES.reduce((sum, frame) => sum + frame.length, 0);

type Served = {url: URL; cuts: CutReason[]; close: () => Promise<void>};

let served: Served | undefined;
afterEach(async () => served?.close());

/** An HTTP server whose one answer is a large write, then FRAMES through a FrameQueue under a QueueBudget's write timeout. */
async function serve(): Promise<Served> {
	const metrics = new ServerMetrics();
	const budget = new QueueBudget(256 * 1024 * 1024, WRITE_TIMEOUT_MS, metrics);
	const cuts: CutReason[] = [];
	const server = http.createServer((_req, res) => {
		res.writeHead(200, {'content-type': 'text/event-stream', 'content-length': String(TOTAL_BYTES)});
		const queue = new FrameQueue(res, {maxEvents: 10_000, maxBytes: 64 * 1024 * 1024}, metrics, budget, (reason) => {
			cuts.push(reason);
			res.destroy();
		});
		res.write(LARGE_WRITE);
		for (const frame of FRAMES) {queue.push(frame);}
		void queue.drained().then(() => res.end());
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		url: new URL(`http://127.0.0.1:${port}/`),
		cuts,
		async close() {
			budget.close();
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A client that reads `bytesPerTick` every 100 ms (pausing the socket in between), until `stopAfter` bytes. */
function slowClient(url: URL, bytesPerTick: number, stopAfter = Number.POSITIVE_INFINITY): {received: () => number; closed: Promise<void>; destroy: () => void} {
	let received = 0;
	let tick = 0;
	const socket = net.connect(Number(url.port), url.hostname, () => {
		socket.write(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
	});
	socket.on('error', () => {});
	socket.on('data', (chunk) => {
		received += chunk.length;
		tick += chunk.length;
		if (tick >= bytesPerTick || received >= stopAfter) {socket.pause();}
	});
	const timer = setInterval(() => {
		tick = 0;
		if (received < stopAfter) {socket.resume();}
	}, 100);
	const closed = new Promise<void>((resolve) => {
		socket.once('close', () => {
			clearInterval(timer);
			resolve();
		});
	});
	return {received: () => received, closed, destroy: () => socket.destroy()};
}

describe('the write timeout and a slow reader', () => {
	it('keeps a client that reads slowly, though its socket drains less often than the write timeout', async () => {
		served = await serve();
		const started = performance.now();
		// 4 MB/s: loopback's buffers take about 6 MB at once, the rest of the large write takes seconds at this
		// pace, in steps of about 1.5 MB (before the fix: cut at the timeout, the socket not drained once).
		const client = slowClient(served.url, 400 * 1024);
		await client.closed;
		const seconds = (performance.now() - started) / 1000;
		expect(served.cuts).toEqual([]);
		expect(client.received()).toBeGreaterThanOrEqual(TOTAL_BYTES);
		// Long enough to have been cut without the progress it made.
		expect(seconds).toBeGreaterThan((2 * WRITE_TIMEOUT_MS) / 1000);
	}, 30_000);

	it('cuts a client that stops reading within the write timeout and a sweep', async () => {
		served = await serve();
		const client = slowClient(served.url, 200 * 1024, 512 * 1024);
		await until(() => client.received() >= 512 * 1024, 'the client to read 512 KiB');
		try {
			// A socket that reads nothing sees no close either: the server's cut is what tells.
			await until(() => served!.cuts.length > 0, 'the cut');
			expect(served.cuts).toEqual(['write-timeout']);
			expect(client.received()).toBeLessThan(TOTAL_BYTES);
		} finally {
			client.destroy();
		}
	}, 30_000);
});
