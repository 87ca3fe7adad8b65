/*
 * npm run bench:server: the reference server's ingest rate and delivery latency, side by side in one run.
 *
 * The server runs in a child process (this same file with --serve), so the clients measured here do not
 * share its event loop. Ingest: batches posted with 4 in flight for a fixed time, per durability mode
 * (`normal`, the default, against `full`, which fsyncs each commit), and per batch size. Delivery: 1, 100
 * and 1,000 SSE clients on the `all` stream while a producer posts 100 lines/s; each line carries its send
 * time, so latency = receive time - send time. Then the attacks of bench/stuck-readers.ts: big lines with
 * stuck streams and history reads, and never-reading streams sent lines that escape sixfold, with the peak
 * RSS and the slowest /healthz. Loopback only; bounded in time.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {collect, now, startClients, type ClientGroup} from './latency-clients.js';
import {attacks} from './stuck-readers.js';

const self = fileURLToPath(import.meta.url);

type Child = {url: string; child: ChildProcess; dir: string};

async function startChild(durability: 'normal' | 'full'): Promise<Child> {
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-'));
	const child = spawn(process.execPath, [...process.execArgv, self, '--serve', path.join(dir, 'bench.db'), durability], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
		child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
		setTimeout(() => reject(new Error('bench server did not start in 20 s')), 20_000).unref();
	});
	return {url, child, dir};
}

async function stopChild({child, dir}: Child): Promise<void> {
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
	await exited;
	clearTimeout(timer);
	rmSync(dir, {recursive: true, force: true});
}

const agent = new http.Agent({keepAlive: true, maxSockets: 16});

async function post(url: string, body: string, type = 'application/json'): Promise<string> {
	return new Promise((resolve, reject) => {
		const request = http.request(url, {method: 'POST', agent, headers: {'content-type': type, 'content-length': Buffer.byteLength(body)}}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => (response.statusCode! < 300 ? resolve(text) : reject(new Error(`${response.statusCode} ${text}`))));
		});
		request.on('error', reject);
		request.end(body);
	});
}

async function newRun(url: string): Promise<string> {
	return (JSON.parse(await post(`${url}/api/runs`, JSON.stringify({automationId: 'bench'}))) as {runId: string}).runId;
}

/** The ceiling without HTTP: the store alone, batches of `batch`, in this process. */
async function storeRate(batch: number, seconds: number): Promise<number> {
	const {SqliteStore} = await import('../source/server/store/sqlite/sqlite-store.js');
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-store-'));
	const store = new SqliteStore(path.join(dir, 'bench.db'));
	try {
		const run = (await store.createRun('automation', 'bench', undefined)).value;
		const lines = Array.from({length: batch}, () => ({level: 'INFO' as const, message: 'x'.repeat(100), childId: 'load', timestamp: new Date().toISOString()}));
		let count = 0;
		const started = now();
		while (now() - started < seconds * 1000) {
			await store.appendLogs(run.runId, lines);
			count += batch;
		}

		return count / ((now() - started) / 1000);
	} finally {
		await store.close();
		rmSync(dir, {recursive: true, force: true});
	}
}

async function ingestRate(durability: 'normal' | 'full', batch: number, seconds: number): Promise<number> {
	const server = await startChild(durability);
	try {
		const runId = await newRun(server.url);
		const line = JSON.stringify({level: 'INFO', message: 'x'.repeat(100), taskId: 'load'});
		const body = Array.from({length: batch}, () => line).join('\n');
		let lines = 0;
		const end = now() + seconds * 1000;
		const worker = async () => {
			while (now() < end) {
				await post(`${server.url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');
				lines += batch;
			}
		};

		const started = now();
		await Promise.all([worker(), worker(), worker(), worker()]);
		return lines / ((now() - started) / 1000);
	} finally {
		await stopChild(server);
	}
}

type Delivery = {clients: number; sent: number; received: number; p50: number; p99: number; max: number; rssMb: number};
async function delivery(clients: number, rate: number, seconds: number): Promise<Delivery> {
	const server = await startChild('normal');
	const groups: ClientGroup[] = [];
	try {
		const runId = await newRun(server.url);
		const processes = clients >= 100 ? 2 : 1;
		for (let i = 0; i < processes; i++) {groups.push(startClients(server.url, Math.round(clients / processes)));}
		await Promise.all(groups.map(async (group) => group.ready));
		// Wait until the server has every stream open (connected), so no line is sent before a client listens.
		for (const deadline = now() + 20_000; now() < deadline; ) {
			const status = JSON.parse(await get(`${server.url}/api/stream/status`)) as {connections: number};
			if (status.connections >= clients) {break;}
			await new Promise((resolve) => setTimeout(resolve, 50));
		}

		const perTick = Math.max(1, Math.round(rate / 20));
		let sent = 0;
		const end = now() + seconds * 1000;
		while (now() < end) {
			const tick = now();
			const body = Array.from({length: perTick}, () => JSON.stringify({level: 'INFO', message: `t=${now().toFixed(3)}`})).join('\n');
			await post(`${server.url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');
			sent += perTick;
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, 50 - (now() - tick))));
		}

		// Let the last lines arrive: the stragglers show in max, bounded by 2 s.
		await new Promise((resolve) => setTimeout(resolve, 2000));
		const metrics = await get(`${server.url}/metrics`);
		const rss = Number(/^dbtail_process_resident_memory_bytes (\S+)$/m.exec(metrics)?.[1] ?? Number.NaN);
		const reports = await Promise.all(groups.map(async (group) => collect(group)));
		const latencies = reports.flatMap((report) => report.latencies).sort((a, b) => a - b);
		const received = reports.reduce((sum, report) => sum + report.received, 0);
		const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN;
		return {clients, sent, received, p50: at(0.5), p99: at(0.99), max: latencies.at(-1) ?? Number.NaN, rssMb: rss / 1024 / 1024};
	} finally {
		for (const group of groups) {group.child.kill('SIGKILL');}
		await stopChild(server);
	}
}

async function get(url: string): Promise<string> {
	return new Promise((resolve, reject) => {
		http.get(url, {agent}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve(text));
		}).on('error', reject);
	});
}

async function main(): Promise<void> {
	const started = now();
	const hardStop = setTimeout(() => {
		process.stderr.write('bench:server took over 5 minutes; stopping\n');
		process.exit(1);
	}, 300_000);
	hardStop.unref();
	process.stdout.write('bench:server (loopback; server in a child process; 2-core CI class machine)\n\n');

	const ingest: Array<[string, number]> = [['store alone (no HTTP) batch 500', await storeRate(500, 2)]];
	for (const [durability, batch] of [['normal', 500], ['full', 500], ['normal', 1], ['full', 1]] as const) {
		ingest.push([`HTTP ingest ${durability.padEnd(6)} batch ${String(batch).padStart(3)}`, await ingestRate(durability, batch, 3)]);
	}

	const deliveries: Delivery[] = [];
	for (const clients of [1, 100, 1000]) {deliveries.push(await delivery(clients, 100, 5));}

	const rows = [
		['measure', 'lines/s', 'clients', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'server RSS MB'],
		...ingest.map(([name, rate]) => [name, Math.round(rate).toLocaleString('en-US'), '', '', '', '', '', '']),
		...deliveries.map((d) => [
			'delivery at 100 lines/s',
			'',
			String(d.clients),
			`${d.received}/${d.sent * d.clients}`,
			d.p50.toFixed(1),
			d.p99.toFixed(1),
			d.max.toFixed(1),
			d.rssMb.toFixed(0),
		]),
	];
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	for (const row of rows) {process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);}
	// Readers that never read, and huge lines (issue 16): what the server holds, and whether others wait.
	const attackRows = [['attack', 'peak RSS MB', 'slowest /healthz ms', 'loop held ms', 'server'], ...(await attacks()).map((result) => [
		result.attack,
		result.peakRssMb.toFixed(0),
		result.slowestHealthzMs.toFixed(0),
		result.loopLagMaxMs.toFixed(0),
		result.alive ? 'alive' : 'DIED',
	])];
	const attackWidths = attackRows[0]!.map((_, column) => Math.max(...attackRows.map((row) => row[column]!.length)));
	process.stdout.write('\n');
	for (const row of attackRows) {process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(attackWidths[column]!) : cell.padStart(attackWidths[column]!))).join('  ')}\n`);}
	process.stdout.write(`\n(${((now() - started) / 1000).toFixed(0)} s)\n`);
	agent.destroy();
}

if (process.argv[2] === '--serve') {
	const {startServer} = await import('../source/server/index.js');
	const server = await startServer({
		dbPath: process.argv[3]!,
		port: 0,
		durability: process.argv[4] as 'normal' | 'full',
		maxConnections: 10_000,
		maxConnectionsPerToken: 10_000,
	});
	process.stdout.write(`${server.url}\n`);
	process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
} else {
	await main();
}
