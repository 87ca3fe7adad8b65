/*
 * The attacks of issue 16 on readers' memory, against `dbtail serve` (from source, under tsx) in a child process:
 *
 *  big lines   a run of `lines` lines of 1 MB; `stuck` stream connections that never read a byte, and
 *              `reads` concurrent plain history reads of the whole run (following `next`);
 *  escapes     `streams` never-reading `all` streams, then one batch of 2 lines of 1 MiB of U+0001
 *              (6 MiB an event once escaped).
 *
 * For each: the server's peak RSS (from /proc, every 5 ms), the slowest /healthz asked every 50 ms meanwhile,
 * and whether the server lived. `npm run bench:server` prints them as rows; alone:
 * `tsx bench/stuck-readers.ts [postgres://...]` (a fresh SQLite file by default; a PostgreSQL database is used
 * as it is, so give it an empty one).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 1024 * 1024;

export type AttackResult = {
	attack: string;
	peakRssMb: number;
	slowestHealthzMs: number;
	/** The longest the server's event loop was held during the attack (prom-client's monitorEventLoopDelay max, reset by a scrape at its start): what of the slowest /healthz was the server's own doing. */
	loopLagMaxMs: number;
	alive: boolean;
	seconds: number;
};

type Server = {url: string; child: ChildProcess; exited: Promise<number | null>};

async function startServe(db: string, args: string[]): Promise<Server> {
	// The CLI from source under tsx, as the rest of bench:server runs (no build needed).
	const child = spawn(process.execPath, [...process.execArgv, path.join(root, 'source/cli.tsx'), 'serve', '--port', '0', '--db', db, ...args], {
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
	let output = '';
	const url = await new Promise<string>((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			output += chunk.toString();
			const match = /listening on (http:\/\/\S+)/.exec(output);
			if (match) {resolve(match[1]!);}
		};

		child.stdout!.on('data', onData);
		child.stderr!.on('data', onData);
		void exited.then(() => reject(new Error(`dbtail serve exited before listening:\n${output}`)));
	});
	return {url, child, exited};
}

function rssMb(pid: number): number {
	try {
		return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
	} catch {
		return 0;
	}
}

/** RSS every 5 ms and /healthz every 50 ms (one at a time) until stopped. */
function watch(server: Server): {stop(): Promise<{peakRssMb: number; slowestHealthzMs: number}>} {
	const pid = server.child.pid!;
	let peak = rssMb(pid);
	let slowest = 0;
	let running = true;
	const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 5);
	const prober = (async () => {
		while (running) {
			const started = performance.now();
			try {
				await fetch(`${server.url}/healthz`, {signal: AbortSignal.timeout(60_000)});
			} catch {
				// Refused or reset: the server is down; `alive` says so.
			}

			slowest = Math.max(slowest, performance.now() - started);
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
	})();
	return {
		async stop() {
			running = false;
			clearInterval(sampler);
			await prober;
			return {peakRssMb: peak, slowestHealthzMs: slowest};
		},
	};
}

async function stuckReader(url: string, pathname: string): Promise<net.Socket> {
	const {hostname, port} = new URL(url);
	const socket = net.connect(Number(port), hostname);
	socket.on('error', () => {});
	await new Promise<void>((resolve) => socket.once('connect', resolve));
	socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
	socket.pause();
	return socket;
}

async function post(url: string, body: unknown): Promise<unknown> {
	const response = await fetch(url, {method: 'POST', headers: {'content-type': 'application/json'}, body: JSON.stringify(body)});
	if (!response.ok) {throw new Error(`${response.status} ${await response.text()}`);}
	return response.json();
}

async function ingestLines(url: string, runId: string, count: number, text: (i: number) => string, perBatch: number): Promise<void> {
	for (let done = 0; done < count; done += perBatch) {
		const lines = Array.from({length: Math.min(perBatch, count - done)}, (_, i) => ({level: 'INFO', message: text(done + i)}));
		await post(`${url}/api/runs/${runId}/logs`, lines);
	}
}

async function readWhole(url: string): Promise<void> {
	for (let after = '0'; ; ) {
		const response = await fetch(`${url}/api/automations/logs?automationID=big&after=${after}&limit=1000`);
		const page = JSON.parse(await response.text()) as {next: string | null};
		if (!page.next) {return;}
		after = page.next;
	}
}

async function loopLagMaxMs(server: Server): Promise<number> {
	try {
		const metrics = await (await fetch(`${server.url}/metrics`)).text();
		return Number(/^dbtail_nodejs_eventloop_lag_max_seconds (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN) * 1000;
	} catch {
		return Number.NaN;
	}
}

async function stop(server: Server): Promise<boolean> {
	const alive = server.child.exitCode === null && server.child.signalCode === null;
	server.child.kill('SIGKILL');
	await server.exited;
	return alive;
}

export async function bigLines(db: string, lines = 100, stuck = 8, reads = 8): Promise<AttackResult> {
	const server = await startServe(db, []);
	const sockets: net.Socket[] = [];
	try {
		const {runId} = (await post(`${server.url}/api/runs`, {automationId: 'big'})) as {runId: string};
		await ingestLines(server.url, runId, lines, (i) => `${i} ${'x'.repeat(MB)}`, 12);
		await loopLagMaxMs(server); // a scrape starts the event loop's maximum over (ingest is not the attack)
		const started = performance.now();
		const watching = watch(server);
		for (let i = 0; i < stuck; i++) {sockets.push(await stuckReader(server.url, '/api/automations/big/logs?stream=true'));}
		await Promise.allSettled(Array.from({length: reads}, async () => readWhole(server.url)));
		// The stuck streams fill what they will meanwhile; a second more shows what they keep.
		await new Promise((resolve) => setTimeout(resolve, 1000));
		const seen = await watching.stop();
		const lag = await loopLagMaxMs(server);
		return {attack: `${lines} lines of 1 MB, ${stuck} stuck streams, ${reads} history reads`, ...seen, loopLagMaxMs: lag, alive: await stop(server), seconds: (performance.now() - started) / 1000};
	} finally {
		for (const socket of sockets) {socket.destroy();}
		server.child.kill('SIGKILL');
	}
}

export async function escapes(db: string, streams = 300): Promise<AttackResult> {
	const server = await startServe(db, ['--max-connections', String(streams + 10), '--max-connections-per-token', String(streams + 10)]);
	const sockets: net.Socket[] = [];
	try {
		const {runId} = (await post(`${server.url}/api/runs`, {automationId: 'ctl'})) as {runId: string};
		for (let i = 0; i < streams; i++) {sockets.push(await stuckReader(server.url, '/api/logs/stream?initial=0'));}
		await loopLagMaxMs(server);
		const started = performance.now();
		const watching = watch(server);
		await ingestLines(server.url, runId, 2, (i) => `${i} ${'\u0001'.repeat(MB)}`, 2);
		await new Promise((resolve) => setTimeout(resolve, 3000));
		const seen = await watching.stop();
		const lag = await loopLagMaxMs(server);
		return {attack: `${streams} stuck all streams, 2 lines of 1 MiB of U+0001`, ...seen, loopLagMaxMs: lag, alive: await stop(server), seconds: (performance.now() - started) / 1000};
	} finally {
		for (const socket of sockets) {socket.destroy();}
		server.child.kill('SIGKILL');
	}
}

/** Runs both attacks on fresh SQLite files (or on `postgres`, emptied by the caller between runs). */
export async function attacks(postgres?: string): Promise<AttackResult[]> {
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-attack-'));
	try {
		return [await bigLines(postgres ?? path.join(dir, 'big.db')), await escapes(postgres ?? path.join(dir, 'escapes.db'))];
	} finally {
		rmSync(dir, {recursive: true, force: true});
	}
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const which = process.argv[2] ?? 'both';
	const db = process.argv[3];
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-attack-'));
	const results = which === 'big' ? [await bigLines(db ?? path.join(dir, 'a.db'))] : which === 'escapes' ? [await escapes(db ?? path.join(dir, 'a.db'))] : await attacks(db);
	for (const result of results) {
		process.stdout.write(`${result.attack}: peak RSS ${result.peakRssMb.toFixed(0)} MB, slowest /healthz ${result.slowestHealthzMs.toFixed(0)} ms, event loop held at most ${result.loopLagMaxMs.toFixed(0)} ms, ${result.alive ? 'alive' : 'DIED'} (${result.seconds.toFixed(1)} s)\n`);
	}

	rmSync(dir, {recursive: true, force: true});
}
