/*
 * npm run bench:server: the reference server's ingest rate and delivery latency, side by side in one run.
 *
 * The server runs in a child process (bench/server-child.ts), so the clients measured here do not share its
 * event loop. Ingest: batches posted with 4 in flight for a fixed time, per durability mode (`normal`, the
 * default, against `full`, which fsyncs each commit), and per batch size. Delivery (bench/delivery-ladder.ts):
 * 1 and 100 clients, then 1,000, 2,000, 5,000 and 10,000 SSE clients on the `all` stream while a producer
 * posts 100 lines/s, until p99 passes 100 ms or the server refuses a client; with the memory each
 * connection costs. Then the attacks of bench/stuck-readers.ts: big lines with stuck streams and history
 * reads, and never-reading streams sent lines that escape sixfold, with the peak RSS and the slowest
 * /healthz. Loopback only; bounded in time.
 *
 * `--delivery` runs the delivery ladder alone; `--steps 2000,5000` picks its steps; `--all-steps` climbs them
 * all whatever p99 shows; `--prof DIR` writes a CPU profile of each delivery step's server there. The bench re-executes itself once under a shell with the
 * file limit raised (to 65,536, or the hard limit if lower): its children (the server and the client
 * processes) inherit it, and the user's shell keeps its own.
 */
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {deliveryLadder, holds} from './delivery-ladder.js';
import {now} from './latency-clients.js';
import {agent, newRun, post, startChild, stopChild} from './server-child.js';
import {attacks} from './stuck-readers.js';

const self = fileURLToPath(import.meta.url);

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

type Options = {deliveryOnly: boolean; climbAll: boolean; steps: number[]; serverArgs: string[]};

function options(argv: string[]): Options {
	const flag = (name: string) => {
		const index = argv.indexOf(name);
		return index < 0 ? undefined : argv[index + 1];
	};

	const prof = flag('--prof');
	return {
		deliveryOnly: argv.includes('--delivery'),
		climbAll: argv.includes('--all-steps'),
		steps: flag('--steps')?.split(',').map(Number) ?? [1, 100, 1000, 2000, 5000, 10_000],
		serverArgs: prof === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${path.resolve(prof)}`],
	};
}

const table = (rows: string[][]) => {
	const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	for (const row of rows) {process.stdout.write(`${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);}
};

async function main({deliveryOnly, climbAll, steps, serverArgs}: Options): Promise<void> {
	const started = now();
	const hardStop = setTimeout(() => {
		process.stderr.write('bench:server took over 15 minutes; stopping\n');
		process.exit(1);
	}, 900_000);
	hardStop.unref();
	process.stdout.write(`bench:server (loopback; server in a child process; 2-core CI class machine; file limit ${process.env.DBTAIL_BENCH_NOFILE})\n\n`);

	const ingest: Array<[string, number]> = [];
	if (!deliveryOnly) {
		ingest.push(['store alone (no HTTP) batch 500', await storeRate(500, 2)]);
		for (const [durability, batch] of [['normal', 500], ['full', 500], ['normal', 1], ['full', 1]] as const) {
			ingest.push([`HTTP ingest ${durability.padEnd(6)} batch ${String(batch).padStart(3)}`, await ingestRate(durability, batch, 3)]);
		}
	}

	const deliveries = await deliveryLadder(steps, 100, 5, 100, serverArgs, climbAll);
	table([
		['measure', 'lines/s', 'clients', 'refused', 'delivered', 'p50 ms', 'p99 ms', 'max ms', 'server RSS MB', 'KB/conn', 'server CPU %', 'µs/event', 'clients CPU %'],
		...ingest.map(([name, rate]) => [name, Math.round(rate).toLocaleString('en-US'), '', '', '', '', '', '', '', '', '', '', '']),
		...deliveries.map((d) => [
			'delivery at 100 lines/s',
			d.rate.toFixed(0),
			String(d.clients),
			String(d.refused),
			`${d.received}/${d.sent * (d.clients - d.refused)}`,
			d.p50.toFixed(1),
			d.p99.toFixed(1),
			d.max.toFixed(1),
			d.rssMb.toFixed(0),
			// One stream's share is lost in the noise of a few MB of RSS.
			d.clients >= 100 ? d.kbPerConnection.toFixed(1) : '',
			d.serverCpu.toFixed(0),
			d.cpuPerEventUs.toFixed(2),
			d.clientCpu.toFixed(0),
		]),
	]);
	const last = deliveries.at(-1);
	if (last && last.clients >= 1000) {
		const held = deliveries.filter((d) => d.clients >= 1000 && holds(d, 100)).at(-1);
		process.stdout.write(`\none instance: ${held ? `${held.clients} clients with p99 <= 100 ms` : 'not 1,000 clients with p99 <= 100 ms'}${last === held ? ' (the largest step)' : `; at ${last.clients}: p99 ${last.p99.toFixed(1)} ms, ${last.refused} refused, ${last.rate.toFixed(0)} lines/s sent`}\n`);
	}

	if (!deliveryOnly) {
		// Readers that never read, and huge lines (issue 16): what the server holds, and whether others wait.
		process.stdout.write('\n');
		table([['attack', 'peak RSS MB', 'slowest /healthz ms', 'loop held ms', 'server'], ...(await attacks()).map((result) => [
			result.attack,
			result.peakRssMb.toFixed(0),
			result.slowestHealthzMs.toFixed(0),
			result.loopLagMaxMs.toFixed(0),
			result.alive ? 'alive' : 'DIED',
		])]);
	}

	process.stdout.write(`\n(${((now() - started) / 1000).toFixed(0)} s)\n`);
	agent.destroy();
}

if (process.env.DBTAIL_BENCH_NOFILE === undefined) {
	// Once, under a shell that raises the file limit for this process and its children only.
	const script = 'ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"; DBTAIL_BENCH_NOFILE="$(ulimit -n)" exec "$@"';
	const child = spawn('sh', ['-c', script, 'sh', process.execPath, ...process.execArgv, self, ...process.argv.slice(2)], {stdio: 'inherit'});
	child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
	await main(options(process.argv.slice(2)));
}
