import {mkdtempSync, rmSync} from 'node:fs';
import {loadavg, tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {LogStream} from '../source/client/log-stream.js';
import {startServeProcess, type ServeProcess} from '../test/helpers/serve-process.js';
import {TmuxSession} from '../test/helpers/tmux.js';
import {memory} from './viewer-measures.js';

/*
 * `npm run soak`: the whole system for SOAK_MINUTES (default 30) under a steady load, with the server
 * killed (SIGKILL) and restarted on the same port and file every SOAK_RESTART_MINUTES (default 3).
 * A producer posts SOAK_RATE numbered lines a second (default 2,000) in batches of 100, rolling to a new run
 * every minute; SOAK_FOLLOWERS LogStreams (default 100) and 3 viewers in tmux follow the automation. Every
 * follower's lines are checked for loss and duplicates (the producer stores each number exactly once: after a
 * failed post it asks the server for the newest line it holds before it goes on). RSS of the server, the
 * viewers and this process (the followers) is sampled each minute and its slope reported.
 */

const MINUTES = Number(process.env.SOAK_MINUTES ?? 30);
const RESTART_MS = Number(process.env.SOAK_RESTART_MINUTES ?? 3) * 60_000;
const RATE = Number(process.env.SOAK_RATE ?? 2000);
const FOLLOWERS = Number(process.env.SOAK_FOLLOWERS ?? 100);
const BATCH = 100;
const RUN_MS = 60_000;

const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-soak-'));
const dbPath = path.join(dir, 'soak.db');
const started = Date.now();
const minutesIn = () => (Date.now() - started) / 60_000;
const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Retention keeps the file bounded over a long run; 10 minutes of lines is far more than any resume needs.
const serveArgs = ['--retain', String(RATE * 600)];
let server: ServeProcess = await startServeProcess(dbPath, serveArgs);
const {url, port} = server;

/** The producer: numbered lines, each stored once, through restarts. */
const producer = {next: 1, runId: '', runStartedAt: 0, failedPosts: 0, stopped: false};

async function post(pathname: string, body: unknown): Promise<Response> {
	return fetch(`${url}${pathname}`, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body), signal: AbortSignal.timeout(5000)});
}

/** After a failed post the batch may or may not be stored: the newest stored line says where to go on. */
async function resync(): Promise<void> {
	const response = await fetch(`${url}/api/automations/logs?automationID=soak&currentRunID=${producer.runId}&limit=1`, {signal: AbortSignal.timeout(5000)});
	const page = (await response.json()) as {logs: Array<{message: string}>};
	const newest = page.logs.at(-1);
	if (newest) {
		producer.next = Math.max(producer.next, Number(newest.message.split(' ')[1]) + 1);
	}
}

async function produce(): Promise<void> {
	const interval = (BATCH / RATE) * 1000;
	let due = Date.now();
	let needsResync = false;
	while (!producer.stopped) {
		try {
			if (needsResync) {
				await resync();
				needsResync = false;
			}

			if (!producer.runId || Date.now() - producer.runStartedAt > RUN_MS) {
				if (producer.runId) {
					await post(`/api/runs/${producer.runId}/finish`, {result: 'succeeded'});
				}

				const created = await post('/api/runs', {automationId: 'soak'});
				producer.runId = ((await created.json()) as {runId: string}).runId;
				producer.runStartedAt = Date.now();
			}

			const lines = Array.from({length: BATCH}, (_, i) => ({level: 'INFO', message: `soak ${producer.next + i}`, taskId: 'load'}));
			const response = await post(`/api/runs/${producer.runId}/logs`, lines);
			if (!response.ok) {
				throw new Error(`HTTP ${response.status}`);
			}

			producer.next += BATCH;
		} catch {
			producer.failedPosts++;
			needsResync = true;
			await sleep(200);
			continue;
		}

		due += interval;
		const wait = due - Date.now();
		if (wait > 0) {
			await sleep(wait);
		} else {
			due = Date.now();
		}
	}
}

// The automation exists once it has a run: a stream of one that does not exist yet is a 404 that ends it.
const first = await post('/api/runs', {automationId: 'soak'});
producer.runId = ((await first.json()) as {runId: string}).runId;
producer.runStartedAt = Date.now();

/** A follower checks every number it gets against the one it expects. */
type Follower = {stream: LogStream; expected: number; lost: number; duplicated: number; received: number};
const followers: Follower[] = Array.from({length: FOLLOWERS}, () => {
	const follower: Follower = {stream: new LogStream({source: 'automation/soak', server: url, follow: true}), expected: 1, lost: 0, duplicated: 0, received: 0};
	follower.stream.on('record', (record) => {
		const n = Number(record.message.split(' ')[1]);
		follower.received++;
		if (n === follower.expected) {
			follower.expected++;
		} else if (n < follower.expected) {
			follower.duplicated++;
		} else {
			follower.lost += n - follower.expected;
			follower.expected = n + 1;
		}
	});
	return follower;
});
for (const follower of followers) {
	follower.stream.start();
}

const viewers = await Promise.all(
	Array.from({length: 3}, async () =>
		TmuxSession.start({command: `exec node bin/dbtail.js --server ${url} automation/soak task/load all`, width: 160, height: 48, cwd: process.cwd()}),
	),
);
const viewerPids = await Promise.all(viewers.map(async (viewer) => viewer.panePid()));

type Sample = {minute: number; server: number; viewers: number[]; followers: number; load: number; produced: number};
const samples: Sample[] = [];
function sample(): void {
	const safe = (pid: number | undefined) => {
		try {
			return pid === undefined ? Number.NaN : memory(pid).rss;
		} catch {
			return Number.NaN;
		}
	};

	samples.push({
		minute: Math.round(minutesIn()),
		server: safe(server.process.pid),
		viewers: viewerPids.map((pid) => safe(pid)),
		followers: process.memoryUsage.rss() / 1024 / 1024,
		load: loadavg()[0]!,
		produced: producer.next - 1,
	});
	const last = samples.at(-1)!;
	process.stderr.write(
		`soak: minute ${last.minute}: ${last.produced} lines, server ${last.server.toFixed(0)} MB, viewers ${last.viewers.map((mb) => mb.toFixed(0)).join('/')} MB, followers ${last.followers.toFixed(0)} MB, load ${last.load.toFixed(1)}\n`,
	);
}

const producing = produce();
const restarts: Array<{at: number; backMs: number}> = [];
sample();
let nextSample = Date.now() + 60_000;
let nextRestart = Date.now() + RESTART_MS;
const end = started + MINUTES * 60_000;
while (Date.now() < end) {
	await sleep(Math.max(0, Math.min(nextSample, nextRestart, end) - Date.now()));
	if (Date.now() >= nextSample) {
		sample();
		nextSample += 60_000;
	}

	if (Date.now() >= nextRestart && Date.now() < end - 30_000) {
		await server.stop('SIGKILL');
		const killedAt = Date.now();
		server = await startServeProcess(dbPath, serveArgs, {port});
		restarts.push({at: minutesIn(), backMs: Date.now() - killedAt});
		process.stderr.write(`soak: server killed and restarted (${restarts.length})\n`);
		nextRestart += RESTART_MS;
	}
}

// Let every follower catch up with what was produced, then count.
producer.stopped = true;
await producing;
const total = producer.next - 1;
const catchUp = Date.now() + 60_000;
while (followers.some((follower) => follower.expected <= total) && Date.now() < catchUp) {
	await sleep(200);
}

sample();
const liveViewers = await Promise.all(viewers.map(async (viewer) => /live/.test(await viewer.capture())));
for (const follower of followers) {
	follower.stream.close();
}

await Promise.all(viewers.map(async (viewer) => viewer.kill()));
await server.stop();
rmSync(dir, {recursive: true, force: true});

/** Least-squares slope in MB per minute, from minute 2 on (start-up growth is not a leak). */
function slope(points: Array<[number, number]>): number {
	const usable = points.filter(([x, y]) => x >= 2 && Number.isFinite(y));
	if (usable.length < 2) {
		return Number.NaN;
	}

	const meanX = usable.reduce((sum, [x]) => sum + x, 0) / usable.length;
	const meanY = usable.reduce((sum, [, y]) => sum + y, 0) / usable.length;
	const num = usable.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
	const den = usable.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
	return num / den;
}

const lost = followers.reduce((sum, follower) => sum + follower.lost + Math.max(0, total + 1 - follower.expected), 0);
const duplicated = followers.reduce((sum, follower) => sum + follower.duplicated, 0);
const mb = (value: number) => (Number.isFinite(value) ? value.toFixed(0).padStart(6) : '     -');
const lines = [
	`soak: ${MINUTES} min, ${RATE} lines/s asked, ${FOLLOWERS} followers (LogStream, one process), 3 viewers in tmux, server SIGKILLed every ${RESTART_MS / 60_000} min`,
	`lines produced ${total} (${(total / (MINUTES * 60)).toFixed(0)}/s); failed posts retried ${producer.failedPosts}; restarts ${restarts.length}, back in ${restarts.map((restart) => `${(restart.backMs / 1000).toFixed(1)}s`).join(', ') || '-'}`,
	`followers: ${lost} lines lost, ${duplicated} duplicated, over ${followers.reduce((sum, follower) => sum + follower.received, 0)} delivered; viewers live at the end: ${liveViewers.filter(Boolean).length} of 3`,
	'',
	'minute   server MB  viewer 1  viewer 2  viewer 3  followers MB  load',
	...samples.map(
		(row) =>
			`${String(row.minute).padStart(6)}   ${mb(row.server)}    ${row.viewers.map((value) => mb(value)).join('    ')}    ${mb(row.followers)}      ${row.load.toFixed(1)}`,
	),
	`slope MB/min ${slope(samples.map((row) => [row.minute, row.server])).toFixed(2).padStart(9)} ${[0, 1, 2]
		.map((index) => slope(samples.map((row) => [row.minute, row.viewers[index]!])).toFixed(2).padStart(9))
		.join(' ')} ${slope(samples.map((row) => [row.minute, row.followers])).toFixed(2).padStart(13)}`,
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(lost === 0 && duplicated === 0 ? 0 : 1);
