import {spawn, type ChildProcess} from 'node:child_process';
import net from 'node:net';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

/*
 * SSE clients for the benches, in child processes of their own (this file with --clients), so parsing
 * a million events/s does not delay the producer's clock or the server. Each line's message is `t=<ms>`, its
 * send time; performance.timeOrigin + now() is the wall clock at sub-millisecond resolution in every process
 * on the machine, so latency is receive time minus that. Latencies are kept as a histogram of 0.1 ms steps
 * (10,000 clients at 100 lines/s are five million samples in five seconds, too many to send as a list).
 */

const self = fileURLToPath(import.meta.url);
export const now = () => performance.timeOrigin + performance.now();

/** 0.1 ms steps up to a minute; later lands in the last step. */
const STEPS = 600_000;
const STEP_MS = 0.1;

/** `histogram` holds [step, count] pairs for the steps that have any; `refused` is streams the server did not open. */
export type ClientReport = {received: number; histogram: Array<[number, number]>; refused: number};
export type ClientGroup = {child: ChildProcess; ready: Promise<{refused: number}>};

/** `count` SSE clients on `url`'s `all` stream (live only) in a process of their own. */
export function startClients(url: string, count: number): ClientGroup {
	const child = spawn(process.execPath, [...process.execArgv, self, '--clients', url, String(count)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const ready = new Promise<{refused: number}>((resolve, reject) => {
		child.once('message', (message) => resolve(message as {refused: number}));
		child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
	});
	return {child, ready};
}

export async function collect(group: ClientGroup): Promise<ClientReport> {
	const report = new Promise<ClientReport>((resolve) => group.child.once('message', (message) => resolve(message as ClientReport)));
	group.child.send('stop');
	const result = await report;
	group.child.kill('SIGKILL');
	return result;
}

/** Percentiles of the merged histograms of several reports, in ms. */
export function quantiles(reports: ClientReport[], qs: number[]): number[] {
	const merged = new Map<number, number>();
	for (const report of reports) {
		for (const [step, count] of report.histogram) {merged.set(step, (merged.get(step) ?? 0) + count);}
	}

	const steps = [...merged.entries()].sort((a, b) => a[0] - b[0]);
	const total = steps.reduce((sum, [, count]) => sum + count, 0);
	return qs.map((q) => {
		if (total === 0) {return Number.NaN;}
		const rank = Math.min(total - 1, Math.floor(q * total));
		let seen = 0;
		for (const [step, count] of steps) {
			seen += count;
			if (seen > rank) {return (step + 1) * STEP_MS;}
		}

		return Number.NaN;
	});
}

const MARK = Buffer.from('"message":"t=');
const QUOTE = 0x22;
const NEWLINE = 0x0a;

/**
 * In a client process: hold the streams, time every `t=<ms>` line, report when told to stop. Each client is a
 * raw TCP socket that sends one GET and scans the bytes it gets for the marker, as cheap as a real reader
 * can be (no HTTP parser, no chunked decoding, no string decoding): these processes share two cores with the
 * server they measure, and with node:http's client they took more CPU than the server did.
 */
async function runClients(url: string, count: number): Promise<void> {
	const histogram = new Uint32Array(STEPS);
	let received = 0;
	let refused = 0;
	const {hostname, port} = new URL(url);
	const request = Buffer.from(`GET /api/logs/stream?initial=0&heartbeat=60 HTTP/1.1\r\nHost: ${hostname}:${port}\r\nAccept: text/event-stream\r\n\r\n`);
	const sockets: net.Socket[] = [];
	const readBuffer = Buffer.alloc(64 * 1024);
	const open = async () => new Promise<void>((resolve) => {
		let answered = false;
		let carry: Buffer | undefined;
		// onread: each read lands in one buffer the process reuses and calls back here, with no stream, no
		// 'data' event and no Buffer made per read.
		const socket: net.Socket = net.connect({host: hostname, port: Number(port), onread: {buffer: readBuffer, callback(size) {
			onRead(readBuffer.subarray(0, size));
			return true;
		}}}, () => socket.write(request));
		socket.setNoDelay(true);
		const refuse = () => {
			if (answered) {return;}
			// Over the server's cap (429), any other answer, or refused at the socket (no file descriptor
			// left, backlog full, reset): the instance's end. Counted, not retried.
			answered = true;
			refused++;
			socket.destroy();
			resolve();
		};

		const onRead = (chunk: Buffer) => {
			const at = now();
			if (!answered) {
				// The status line comes first, in the first read.
				if (chunk.toString('latin1', 9, 12) !== '200') {
					refuse();
					return;
				}

				answered = true;
				resolve();
			}

			const text = carry === undefined ? chunk : Buffer.concat([carry, chunk]);
			// What a read may cut short is after its last newline (a marker and its number never hold one);
			// nothing is kept of what was counted.
			let keep = text.lastIndexOf(NEWLINE) + 1;
			for (let index = text.indexOf(MARK); index >= 0; index = text.indexOf(MARK, index + MARK.length)) {
				const start = index + MARK.length;
				const close = text.indexOf(QUOTE, start);
				if (close < 0) {
					keep = index;
					break;
				}

				const sent = Number(text.toString('latin1', start, close));
				histogram[Math.min(STEPS - 1, Math.max(0, Math.floor((at - sent) / STEP_MS)))]!++;
				received++;
				keep = Math.max(keep, close);
			}

			// A copy: the read buffer is the next read's.
			carry = keep < text.length ? Buffer.from(text.subarray(keep)) : undefined;
		};

		socket.on('error', refuse);
		socket.on('close', refuse);
		sockets.push(socket);
	});
	// A few hundred connects at a time: the listen backlog is not what is measured.
	const queue = Array.from({length: count}, (_, index) => index);
	await Promise.all(Array.from({length: Math.min(count, 256)}, async () => {
		while (queue.pop() !== undefined) {await open();}
	}));
	process.send!({refused});
	process.once('message', () => {
		for (const socket of sockets) {socket.destroy();}
		const pairs: Array<[number, number]> = [];
		for (const [step, hits] of histogram.entries()) {
			if (hits > 0) {pairs.push([step, hits]);}
		}

		const report: ClientReport = {received, histogram: pairs, refused};
		process.send!(report);
	});
}

if (process.argv[1] === self && process.argv[2] === '--clients') {
	await runClients(process.argv[3]!, Number(process.argv[4]));
}
