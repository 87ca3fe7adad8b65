/*
 * What the second core could give `dbtail follow` (issue 20), measured before anyone builds it: the
 * databasin-shaped stream (bench/follow-streams.ts) served from memory on loopback as bench:follow's replay
 * tables serve it, read by
 *   - the parse-only floor, bench/follow-floor.mjs itself (one thread);
 *   - inline: the main thread cuts ~64 KB batches at event boundaries, then frames, JSON.parses and formats
 *     each log event as follow's plain output does (`timestamp level message`, continuation lines indented);
 *   - workers N (1, 2): the main thread only cuts the batches and transfers each one's bytes (one ArrayBuffer
 *     per batch, not per event) to a worker in turn; the worker does what inline does and transfers back the
 *     output bytes, which the main thread writes in order (to /dev/null).
 * Each reader is its own node process under GNU time (wall, user+sys of every thread, peak RSS); rounds
 * rotate the order; best of REPEAT. Outputs are checked byte-identical first (and against `dbtail follow`
 * when FOLLOW names its bin/dbtail.js). The server's CPU per run is shown too: it shares the two cores.
 *
 *   npm run bench:follow-parallel      LINES=200000 REPEAT=3 PORT=19600 FOLLOW=bin/dbtail.js
 * The readers run as `node bench/follow-parallel.mjs client N URL` (plain node; the driver needs tsx).
 */
import {spawn} from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {Worker, isMainThread, parentPort} from 'node:worker_threads';
import {scanEvents} from './sse-events.mjs';

const self = fileURLToPath(import.meta.url);
const BATCH_BYTES = 64 * 1024;
const INDENT = `\n${' '.repeat(31)}`;
const encoder = new TextEncoder();

/** What follow prints for the whole events in `bytes`, as UTF-8 bytes in a buffer of its own. */
function format(bytes) {
	let out = '';
	scanEvents(bytes, undefined, (data) => {
		const event = JSON.parse(data);
		if (event.type === 'log') {
			const {timestamp, level, message} = event.data;
			out += `${timestamp} ${level.padEnd(5).slice(0, 5)} ${message.includes('\n') ? message.replaceAll('\n', INDENT) : message}\n`;
		}
	});
	return encoder.encode(out);
}

/** The CPU seconds (user+sys) of the calling thread, from /proc (Linux; ticks of 10 ms). */
function threadCpu() {
	const fields = fs.readFileSync('/proc/thread-self/stat', 'utf8').split(') ')[1].split(' ');
	return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A reader: `workers` 0 formats on the main thread, else in that many workers, batches handed round in turn. */
function client(workers, url) {
	const pool = Array.from({length: workers}, () => new Worker(self, {execArgv: []}));
	const done = new Map();
	let [sent, written, ended] = [0, 0, false];
	let pending = [];
	let pendingBytes = 0;
	let response;
	const write = (seq, out) => {
		if (out) {
			done.set(seq, out);
		}

		while (done.has(written)) {
			process.stdout.write(done.get(written));
			done.delete(written++);
		}

		if (response?.isPaused() && sent - written <= workers) {
			response.resume();
		}

		if (ended && written === sent) {
			// Each thread's own CPU to stderr, so the driver can tell the main thread's share from the workers'.
			void Promise.all(pool.map(async (worker) => new Promise((resolve) => {
				worker.once('message', resolve);
				worker.postMessage('cpu');
			}))).then((cpus) => {
				process.stderr.write(`${JSON.stringify({main: threadCpu(), workers: cpus})}\n`);
				for (const worker of pool) {
					void worker.terminate();
				}
			});
		}
	};

	for (const worker of pool) {
		worker.on('message', (message) => message.out && write(message.seq, message.out));
	}

	const flush = (last) => {
		// One copy into a buffer of its own (64 KB and up is never pooled), so its ArrayBuffer can be transferred.
		const bytes = Buffer.concat(pending, pendingBytes);
		const cut = last ? bytes.length : bytes.lastIndexOf('\n\n') + 2;
		if (!last && cut < 2) {
			pending = [bytes];
			return;
		}

		pending = cut < bytes.length ? [Buffer.from(bytes.subarray(cut))] : [];
		pendingBytes = bytes.length - cut;
		const seq = sent++;
		if (workers === 0) {
			write(seq, format(bytes.subarray(0, cut)));
			return;
		}

		pool[seq % workers].postMessage({seq, buffer: bytes.buffer, length: cut}, [bytes.buffer]);
		// At most four batches a worker in flight: the socket waits instead of memory growing.
		if (sent - written >= 4 * workers) {
			response.pause();
		}
	};

	http.get(url, (answer) => {
		response = answer;
		answer.on('data', (chunk) => {
			pending.push(chunk);
			pendingBytes += chunk.length;
			if (pendingBytes >= BATCH_BYTES) {
				flush(false);
			}
		});
		answer.on('end', () => {
			if (pendingBytes > 0) {
				flush(true);
			}

			ended = true;
			write();
		});
	});
}

/** Runs `node ...args` under GNU time with stdout to `out`: wall, CPU (user+sys, all threads), peak RSS, server CPU. */
async function timed(args, out = '/dev/null') {
	const report = path.join(os.tmpdir(), `follow-parallel-time-${process.pid}`);
	const fd = fs.openSync(out, 'w');
	const serverBefore = process.cpuUsage();
	let errors = '';
	const code = await new Promise((resolve) => {
		const child = spawn('/usr/bin/time', ['-o', report, '-f', '%e %U %S %M', process.execPath, ...args], {stdio: ['ignore', fd, 'pipe']});
		child.stderr.on('data', (chunk) => {
			errors += chunk;
		});
		child.once('exit', resolve);
	});
	fs.closeSync(fd);
	const serverCpu = process.cpuUsage(serverBefore);
	const [wall, user, sys, kb] = fs.readFileSync(report, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
	fs.rmSync(report);
	if (code !== 0) {
		throw new Error(`node ${args.join(' ')} exited with ${code}: ${errors}`);
	}

	const threads = JSON.parse(errors.split('\n').find((line) => line.startsWith('{"main"')) ?? '{"workers":[]}');
	const [cpu, server, main, worker] = [user + sys, (serverCpu.user + serverCpu.system) / 1e6, threads.main ?? Number.NaN, Math.max(...threads.workers)];
	// On two cores of its own, a reader can go no faster than its busiest thread, nor than half of all the CPU
	// it and the server need: its bound (a reader with no worker is one thread: its CPU).
	const bound = threads.workers.length > 0 ? Math.max(main, worker, (cpu + server) / 2) : cpu;
	return {wall, cpu, main, worker: threads.workers.length > 0 ? worker : Number.NaN, rssMb: kb / 1024, server, bound};
}

async function driver() {
	const LINES = Number(process.env.LINES ?? 200_000);
	const REPEAT = Number(process.env.REPEAT ?? 3);
	const {databasinStream, serveFromMemory} = await import('./follow-streams.ts');
	const bytes = databasinStream(LINES);
	const server = await serveFromMemory(bytes, Number(process.env.PORT ?? 19_600));
	const url = `http://127.0.0.1:${server.address().port}/stream`;
	const readers = [
		{name: 'parse-only floor (follow-floor.mjs)', args: [path.join(path.dirname(self), 'follow-floor.mjs'), url]},
		...[0, 1, 2].map((n) => ({name: n === 0 ? 'inline, 1 thread' : `main + ${n} worker${n > 1 ? 's' : ''}`, args: [self, 'client', String(n), url], check: true})),
		...(process.env.FOLLOW ? [{name: 'dbtail follow', args: [path.resolve(process.env.FOLLOW), 'follow', 'automation/bench', '--server', url.replace('/stream', ''), '--no-color'], check: true}] : []),
	];
	try {
		// The check pass, also the warm-up: every formatting reader prints the same bytes as the inline one.
		const file = path.join(os.tmpdir(), `follow-parallel-out-${process.pid}`);
		let expected;
		for (const {name, args} of readers.filter(({check}) => check)) {
			await timed(args, file);
			expected ??= fs.readFileSync(file);
			if (!fs.readFileSync(file).equals(expected)) {
				throw new Error(`${name} printed other bytes than the inline reader`);
			}
		}

		fs.rmSync(file);

		const load = os.loadavg()[0];
		const best = new Map();
		for (let round = 0; round < REPEAT; round++) {
			for (const [index] of readers.entries()) {
				const reader = readers[(index + round) % readers.length];
				const result = await timed(reader.args);
				const previous = best.get(reader.name) ?? result;
				best.set(reader.name, Object.fromEntries(Object.keys(result).map((key) => [key, Math.min(result[key], previous[key])])));
			}
		}

		console.log(`\nfollow-parallel: databasin-shaped, ${LINES} lines, ${(bytes.length / 1024 / 1024).toFixed(0)} MB from memory, best of ${REPEAT} (each column on its own; main, worker: that thread's CPU s; server: its CPU s meanwhile), ${os.cpus().length} cores, node ${process.version}, load ${load.toFixed(1)} -> ${os.loadavg()[0].toFixed(1)}\n`);
		const columns = [['reader', 36], ['wall s', 8], ['lines/s', 10], ['CPU s', 7], ['main', 6], ['worker', 7], ['RSS MB', 7], ['server', 7], ['bound s', 8], ['at bound', 10]];
		const row = (cells) => cells.map((cell, index) => (index === 0 ? cell.padEnd(columns[0][1]) : cell.padStart(columns[index][1]))).join('');
		const rate = (seconds) => Math.round(LINES / seconds).toLocaleString('en');
		console.log(row(columns.map(([title]) => title)));
		for (const {name} of readers) {
			const {wall, cpu, main, worker, rssMb, server, bound} = best.get(name);
			console.log(row([name, wall.toFixed(2), rate(wall), cpu.toFixed(2), main.toFixed(2), worker.toFixed(2), rssMb.toFixed(0), server.toFixed(2), bound.toFixed(2), rate(bound)]));
		}

		const floor = best.get(readers[0].name);
		for (const {name} of readers.slice(1)) {
			const {wall, cpu, bound} = best.get(name);
			console.log(`${name}: ${(wall / floor.wall).toFixed(2)}x the floor's wall time, ${(cpu / floor.cpu).toFixed(2)}x its CPU, ${(bound / floor.bound).toFixed(2)}x its bound (target <= 1.5x); ${rate(wall)} lines/s now, ${rate(bound)} at its bound (target >= 500,000)`);
		}
	} finally {
		server.close();
	}
}

if (!isMainThread) {
	parentPort.on('message', (message) => {
		if (message === 'cpu') {
			parentPort.postMessage(threadCpu());
			return;
		}

		const {seq, buffer, length} = message;
		const out = format(Buffer.from(buffer, 0, length));
		parentPort.postMessage({seq, out}, [out.buffer]);
	});
} else if (process.argv[2] === 'client') {
	client(Number(process.argv[3]), process.argv[4]);
} else {
	await driver();
}
