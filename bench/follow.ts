/*
 * bench:follow — how fast `dbtail follow` turns an SSE stream into lines, side by side with what a user
 * would type instead, on the same finite stream:
 *
 *   dbtail follow (to /dev/null)  vs  curl | sed | jq (to /dev/null)  vs  curl alone (to /dev/null)
 *
 * It ingests a 200,000-line run into an in-process dbtail server on loopback once, finishes the run, then
 * streams it with follow=false so every tool reads the same bytes and ends by itself. dbtail and jq must
 * print byte-identical output (checked once per table, in an untimed pass that also warms all three up
 * alike). Each pipeline then runs REPEAT times, rounds rotating which goes first, under GNU time (wall
 * time, peak RSS of the largest process); the best time counts, the highest RSS is shown. Then
 * the same bytes are served again from memory, so the second table shows the clients without the
 * server's own cost (the first table's curl row is that ceiling); that table has one more row, the same
 * events as WebSocket text frames from memory read by `dbtail follow ws://…` (its output byte-identical to
 * the SSE row's), so the two transports are measured side by side in one run, and the parse-only floor
 * (bench/follow-floor.mjs: SSE framing and JSON.parse of the same bytes, nothing else). The third table
 * is a databasin-shaped stream from memory (bench/follow-streams.ts: metadata on every record, one message
 * in 50 on several lines, one in 97 not ASCII), with its own jq program printing what dbtail prints, and
 * its floor. Targets (issue 20): dbtail follow >= 500,000 lines/s, >= 2.5x the jq pipeline, within 1.5x of
 * the floor, peak RSS < 150 MB. Every command has a deadline, and the whole bench stops itself.
 *
 *   npm run bench:follow            LINES=50000 REPEAT=1 npm run bench:follow
 */
import {execFile, spawn} from 'node:child_process';
import fs from 'node:fs';
import type {AddressInfo} from 'node:net';
import os from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {WebSocketServer} from 'ws';
import {startServer} from '../source/server/index.js';
import {databasinLines, databasinStream, serveFromMemory} from './follow-streams.js';
import {streamUrl} from '../source/protocol/streams.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LINES = Number(process.env.LINES ?? 200_000);
const REPEAT = Number(process.env.REPEAT ?? 3);
const COMMAND_DEADLINE_MS = 120_000;
const BATCH = 10_000;
const TASKS = ['extract', 'transform', 'load', 'validate'];
const LEVELS = ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR'];

type Result = {name: string; seconds: number; rssMb: number; exit: number};
/** `check`: its output must be dbtail follow's, byte for byte (the floor prints only a count). */
type Pipeline = {name: string; command: string; check?: boolean};

/** jq printing what dbtail follow prints, for a stream with a `[task]` label or without (then continuation lines are indented too). */
const JQ_DBTAIL = `select(.type == "log") | .data | "\\(.timestamp) \\((.level + "    ")[0:5]) [\\(.taskId)] \\(.message)"`;
const JQ_DATABASIN = `select(.type == "log") | .data | "\\(.timestamp) \\((.level + "    ")[0:5]) \\(.message | gsub("\\n"; "\\n" + (" " * 31)))"`;

async function post(url: string, body: unknown): Promise<unknown> {
	const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
	if (!response.ok) {
		throw new Error(`POST ${url} answered ${response.status}: ${await response.text()}`);
	}

	return response.json();
}

/** Runs `sh -c command` under GNU time; rejects past the deadline (after killing it). */
async function timed(name: string, command: string): Promise<Result> {
	const report = path.join(os.tmpdir(), `dbtail-bench-time-${process.pid}`);
	return new Promise((resolve, reject) => {
		const child = spawn('/usr/bin/time', ['-o', report, '-f', '%e %M', 'sh', '-c', command], {stdio: ['ignore', 'ignore', 'inherit']});
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`${name} took longer than ${COMMAND_DEADLINE_MS / 1000}s`));
		}, COMMAND_DEADLINE_MS);
		child.once('exit', (code) => {
			clearTimeout(timer);
			const [seconds, kb] = fs.readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
			resolve({name, seconds: seconds!, rssMb: kb! / 1024, exit: code ?? -1});
		});
	});
}

/** Runs `sh -c command` with stdout to `file`; rejects on a non-zero exit or past the deadline. */
async function capture(command: string, file: string): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile('sh', ['-c', `${command} > '${file}'`], {timeout: COMMAND_DEADLINE_MS}, (error) => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
	});
}

/**
 * Times the three pipelines on one stream, and `extra` beside them (each printing what dbtail follow
 * prints, checked), and prints a table; true when dbtail meets its targets.
 */
async function compare(
	title: string,
	server: string,
	url: string,
	{extra = [], program = JQ_DBTAIL, printed = LINES}: {extra?: Pipeline[]; program?: string; printed?: number} = {},
): Promise<boolean> {
	const dbtail = `node ${path.join(root, 'bin/dbtail.js')} follow automation/bench --server ${server} --no-color 2>/dev/null`;
	// jq pads the level as dbtail does, so both print byte-identical lines (checked below).
	const jq = `curl -sN '${url}' | sed -n 's/^data: //p' | jq -r '${program}'`;
	const pipelines: Pipeline[] = [
		{name: 'dbtail follow > /dev/null', command: `${dbtail} > /dev/null`},
		{name: 'curl | sed | jq > /dev/null', command: `${jq} > /dev/null`},
		{name: 'curl > /dev/null', command: `curl -sN '${url}' > /dev/null`},
		...extra.map(({name, command, check}) => ({name: `${name} > /dev/null`, command: `${command} > /dev/null`, check})),
	];

	// The same output from both line printers, or the comparison means nothing. This pass is also the
	// warm-up, the same for all three (server caches, page cache, the binaries): curl's output is kept too.
	const outputs = pipelines.map((_, index) => path.join(dir, `out-${index}`));
	await capture(dbtail, outputs[0]!);
	await capture(jq, outputs[1]!);
	await capture(`curl -sN '${url}'`, outputs[2]!);
	for (const [index, {command}] of extra.entries()) {
		 
		await capture(command, outputs[3 + index]!);
	}

	const [ours, theirs] = [fs.readFileSync(outputs[0]!), fs.readFileSync(outputs[1]!)];
	const lines = ours.toString('latin1').split('\n').length - 1;
	if (!ours.equals(theirs) || lines !== printed) {
		throw new Error(`outputs differ: dbtail ${ours.length} bytes, jq ${theirs.length} bytes; dbtail has ${lines} lines of ${printed}`);
	}

	for (const [index, {name, check}] of extra.entries()) {
		if (check === false) {
			continue;
		}

		const other = fs.readFileSync(outputs[3 + index]!);
		if (!ours.equals(other)) {
			throw new Error(`outputs differ: dbtail follow ${ours.length} bytes, ${name} ${other.length} bytes`);
		}
	}

	for (const file of outputs) {fs.rmSync(file);}

	const best = new Map<string, Result>();
	for (let round = 0; round < REPEAT; round++) {
		// Each round starts with another pipeline, so none always runs first (or right after another).
		const order = pipelines.map((_, index) => pipelines[(index + round) % pipelines.length]!);
		for (const {name, command} of order) {
			 
			const result = await timed(name, command);
			if (result.exit !== 0) {
				throw new Error(`${name} exited with ${result.exit}`);
			}

			const previous = best.get(name);
			const rssMb = Math.max(result.rssMb, previous?.rssMb ?? 0);
			best.set(name, !previous || result.seconds < previous.seconds ? {...result, rssMb} : {...previous, rssMb});
		}
	}

	const rows = pipelines.map(({name}) => best.get(name)!);
	const rate = (result: Result) => LINES / Math.max(result.seconds, 0.01);
	console.log(`\n${title}: ${LINES} lines, best of ${REPEAT}, ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0]!.toFixed(1)}\n`);
	// 30 columns for the name, more when a row's name needs them (the ws:// row).
	const width = Math.max(30, ...rows.map((result) => result.name.length + 1));
	console.log(`${'pipeline'.padEnd(width)}${'seconds'.padStart(9)}${'lines/s'.padStart(12)}${'peak RSS'.padStart(11)}`);
	for (const result of rows) {
		const lines = Math.round(rate(result)).toLocaleString('en');
		console.log(`${result.name.padEnd(width)}${result.seconds.toFixed(2).padStart(9)}${lines.padStart(12)}${`${result.rssMb.toFixed(0)} MB`.padStart(11)}`);
	}

	const [dbtailRow, jqRow] = [rows[0]!, rows[1]!];
	const ratio = rate(dbtailRow) / rate(jqRow);
	const floor = rows.find((row) => row.name.startsWith('parse-only floor'));
	const ofFloor = floor ? dbtailRow.seconds / floor.seconds : undefined;
	const pass = ratio >= 2.5 && rate(dbtailRow) >= 500_000 && dbtailRow.rssMb < 150 && (ofFloor === undefined || ofFloor <= 1.5);
	console.log(
		`dbtail follow: ${Math.round(rate(dbtailRow)).toLocaleString('en')} lines/s (target >= 500,000), ${ratio.toFixed(2)}x the jq pipeline (target >= 2.5x)` +
			`${ofFloor === undefined ? '' : `, ${ofFloor.toFixed(2)}x the floor's time (target <= 1.5x)`}, peak RSS ${dbtailRow.rssMb.toFixed(0)} MB (target < 150 MB): ${pass ? 'PASS' : 'FAIL'}`,
	);
	for (const row of rows.slice(3)) {
		if (row !== floor) {
			console.log(`${row.name.replace(' > /dev/null', '')} / dbtail follow (SSE): ${(rate(row) / rate(dbtailRow)).toFixed(2)}x lines/s`);
		}
	}

	return pass;
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dbtail-bench-follow-'));
const server = await startServer({dbPath: path.join(dir, 'bench.db'), port: 0, log() {}});
const overall = setTimeout(() => {
	console.error('bench:follow: overall deadline (10 min) passed; stopping');
	process.exit(1);
}, 600_000);
try {
	process.stderr.write(`ingesting ${LINES} lines into ${server.url} ...\n`);
	const {runId} = (await post(new URL('/api/runs', server.url).href, {automationId: 'bench'})) as {runId: string};
	for (let start = 0; start < LINES; start += BATCH) {
		const lines = Array.from({length: Math.min(BATCH, LINES - start)}, (_, offset) => {
			const n = start + offset;
			return {
				level: LEVELS[n % LEVELS.length],
				taskId: TASKS[n % TASKS.length],
				message: `row batch ${Math.floor(n / 100)} item ${n}: processed ${(n * 7919) % 100_000} records in ${n % 997} ms (ok)`,
			};
		});
		 
		await post(new URL(`/api/runs/${runId}/logs`, server.url).href, lines);
	}

	await post(new URL(`/api/runs/${runId}/finish`, server.url).href, {result: 'succeeded'});
	const url = streamUrl(server.url, {kind: 'automation', id: 'bench'}, {follow: 'false'}).href;
	const live = await compare('dbtail serve (SQLite history + SSE)', server.url, url);

	// The same bytes again from memory: what each client costs when the server is not the limit.
	const bytes = await new Promise<Buffer>((resolve, reject) => {
		execFile('curl', ['-sN', url], {encoding: 'buffer', maxBuffer: 1 << 30, timeout: COMMAND_DEADLINE_MS}, (error, stdout) => {
			if (error) {
				reject(error);
			} else {
				resolve(stdout);
			}
		});
	});
	const replay = await serveFromMemory(bytes);
	const replayUrl = `http://127.0.0.1:${(replay.address() as AddressInfo).port}`;
	const floor = (url: string): Pipeline => ({name: 'parse-only floor', command: `node ${path.join(root, 'bench/follow-floor.mjs')} '${url}'`, check: false});
	// The same events as WebSocket text frames, one per SSE `data:` line (the status events too, so follow
	// ends with the run's result as it does over SSE), sent from memory to each connection.
	const frames = bytes.toString('utf8').split('\n').filter((line) => line.startsWith('data: ')).map((line) => line.slice(6));
	const wsReplay = new WebSocketServer({host: '127.0.0.1', port: 0});
	wsReplay.on('connection', (socket) => {
		for (const frame of frames) {
			socket.send(frame);
		}
	});
	await new Promise<void>((resolve) => {
		wsReplay.once('listening', resolve);
	});
	const wsUrl = `ws://127.0.0.1:${(wsReplay.address() as AddressInfo).port}/stream`;
	const wsFollow = `node ${path.join(root, 'bin/dbtail.js')} follow '${wsUrl}' --no-color 2>/dev/null`;
	let replayed: boolean;
	try {
		replayed = await compare(`replay of the same ${(bytes.length / 1024 / 1024).toFixed(0)} MB from memory`, replayUrl, `${replayUrl}/stream`, {
			extra: [{name: 'dbtail follow ws://', command: wsFollow}, floor(`${replayUrl}/stream`)],
		});
	} finally {
		replay.close();
		wsReplay.close();
	}

	// A databasin-shaped stream, from memory too.
	const databasin = databasinStream(LINES);
	const databasinReplay = await serveFromMemory(databasin);
	const databasinUrl = `http://127.0.0.1:${(databasinReplay.address() as AddressInfo).port}`;
	let databasinPassed: boolean;
	try {
		databasinPassed = await compare(
			`databasin-shaped stream, ${(databasin.length / 1024 / 1024).toFixed(0)} MB from memory`,
			databasinUrl,
			`${databasinUrl}/stream`,
			{extra: [floor(`${databasinUrl}/stream`)], program: JQ_DATABASIN, printed: databasinLines(LINES)},
		);
	} finally {
		databasinReplay.close();
	}

	process.exitCode = live || (replayed && databasinPassed) ? 0 : 1;
} finally {
	clearTimeout(overall);
	await server.close();
	fs.rmSync(dir, {recursive: true, force: true});
}
