/*
 * npm run bench:cluster: dbtail serve on PostgreSQL, one and two instances, side by side with the SQLite
 * store in one run, on whatever PostgreSQL the tests would use (DBTAIL_TEST_DATABASE_URL, else 127.0.0.1:5432,
 * else a throwaway one: test/helpers/test-postgres.ts), in a database of its own, dropped at the end.
 *
 *  - ingest lines/s at batch 1, 100 and 500: 4 requests in flight per instance, for a fixed time;
 *  - delivery latency at 1,000 lines/s, the client on the instance that ingests and on the other one;
 *  - 1,000 clients spread over two instances at 100 lines/s;
 *  - kill -9 during a 100,000-line replay: time from the kill to the last line, from the other instance
 *    (SQLite: from the same file, restarted: the only failover it has), and lines lost or doubled.
 *
 * Every instance is a process of its own (cluster-processes.ts). Loopback only; bounded in time. The
 * machine's load is printed before and after: on a busy machine the figures move a lot.
 */
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import http from 'node:http';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {createTestDatabase, databaseQuery, testPostgres} from '../test/helpers/test-postgres.js';
import {agent, collect, connections, newRun, now, request, startClients, startInstance, stopInstance, type Instance} from './cluster-processes.js';
import {quantiles} from './latency-clients.js';

type Store = {name: string; db: string; instances: number};

const sleep = async (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');

async function fresh(store: Store): Promise<Instance[]> {
	if (store.db.startsWith('postgres')) {await databaseQuery(store.db, 'DROP SCHEMA IF EXISTS dbtail CASCADE');}
	else {rmSync(store.db, {force: true});}
	const first = await startInstance(store.db);
	// Started one after the other: the second finds the schema made.
	return store.instances === 1 ? [first] : [first, await startInstance(store.db)];
}

async function ingestRate(store: Store, batch: number, seconds: number): Promise<number> {
	const instances = await fresh(store);
	try {
		const runId = await newRun(instances[0]!.url);
		const line = JSON.stringify({level: 'INFO', message: 'x'.repeat(100), taskId: 'load'});
		const body = Array.from({length: batch}, () => line).join('\n');
		let lines = 0;
		const end = now() + seconds * 1000;
		const worker = async (url: string) => {
			while (now() < end) {
				await request('POST', `${url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');
				lines += batch;
			}
		};

		const started = now();
		await Promise.all(instances.flatMap((instance) => [1, 2, 3, 4].map(async () => worker(instance.url))));
		return lines / ((now() - started) / 1000);
	} finally {
		await Promise.all(instances.map(async (instance) => stopInstance(instance)));
	}
}

type Delivery = {label: string; rate: number; clients: number; sent: number; received: number; p50: number; p99: number; max: number};

/** `clients[i]` clients on instance i; the producer posts `rate` lines/s through instance 0. */
async function delivery(store: Store, label: string, clients: number[], rate: number, seconds: number): Promise<Delivery> {
	const instances = await fresh(store);
	const groups = clients.flatMap((count, index) => (count === 0 ? [] : [startClients(instances[index]!.url, count)]));
	try {
		const runId = await newRun(instances[0]!.url);
		await Promise.all(groups.map(async (group) => group.ready));
		for (const [index, count] of clients.entries()) {
			for (const deadline = now() + 20_000; now() < deadline && (await connections(instances[index]!.url)) < count; ) {await sleep(50);}
		}

		const perTick = Math.max(1, Math.round(rate / 20));
		let sent = 0;
		for (const end = now() + seconds * 1000; now() < end; ) {
			const tick = now();
			const body = Array.from({length: perTick}, () => JSON.stringify({level: 'INFO', message: `t=${now().toFixed(3)}`})).join('\n');
			await request('POST', `${instances[0]!.url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');
			sent += perTick;
			await sleep(Math.max(0, 50 - (now() - tick)));
		}

		await sleep(2000);
		const reports = await Promise.all(groups.map(async (group) => collect(group)));
		const [p50, p99, max] = quantiles(reports, [0.5, 0.99, 1]);
		const total = clients.reduce((sum, count) => sum + count, 0);
		return {label, rate, clients: total, sent: sent * total, received: reports.reduce((sum, report) => sum + report.received, 0), p50: p50!, p99: p99!, max: max!};
	} finally {
		for (const group of groups) {group.child.kill('SIGKILL');}
		await Promise.all(instances.map(async (instance) => stopInstance(instance, 'SIGKILL')));
	}
}

type Resume = {store: string; lines: number; seconds: number; lost: number; doubled: number};

/** Follows `all` from the start, resuming with Last-Event-ID on the next URL whenever a connection ends. */
function resumingClient(urls: () => string[], total: number) {
	const seen = new Set<number>();
	let last = 0;
	let doubled = 0;
	let done: () => void = () => {};
	const finished = new Promise<void>((resolve) => (done = resolve));
	let attempt = 0;
	let stopped = false;
	let current: http.ClientRequest | undefined;
	const retry = () => {
		if (seen.size < total && !stopped) {setTimeout(connect, 50);}
	};

	const connect = () => {
		const url = urls()[attempt++ % urls().length]!;
		// since=0: the whole history (without it `all` starts with its newest 200); Last-Event-ID wins once it has one.
		const call = http.get(`${url}/api/logs/stream?since=0`, {agent: false, headers: last > 0 ? {'last-event-id': String(last)} : {}}, (response) => {
			response.setEncoding('utf8');
			let carry = '';
			response.on('data', (chunk: string) => {
				const text = carry + chunk;
				const cut = text.lastIndexOf('\n\n');
				carry = cut < 0 ? text : text.slice(cut + 2);
				for (const match of (cut < 0 ? '' : text.slice(0, cut)).matchAll(/^id: (\d+)$/gm)) {
					const id = Number(match[1]);
					if (seen.has(id) || id <= last) {doubled++;}
					seen.add(id);
					last = Math.max(last, id);
				}

				if (seen.size >= total) {
					call.destroy();
					done();
				}
			});
			response.once('close', retry);
		});
		call.once('error', retry);
		current = call;
	};

	connect();
	const stop = () => {
		stopped = true;
		current?.destroy();
	};

	return {finished, received: () => seen.size, doubled: () => doubled, stop};
}

async function resumeAfterKill(store: Store, lines: number): Promise<Resume> {
	let instances = await fresh(store);
	try {
		const runId = await newRun(instances[0]!.url);
		const body = Array.from({length: 500}, (_, index) => JSON.stringify({level: 'INFO', message: `line ${index}`})).join('\n');
		for (let stored = 0; stored < lines; stored += 500) {await request('POST', `${instances.at(-1)!.url}/api/runs/${runId}/logs`, body, 'application/x-ndjson');}
		const victim = instances[0]!;
		const client = resumingClient(() => instances.map((instance) => instance.url), lines);
		while (client.received() === 0) {await sleep(1);}
		const killed = now();
		victim.child.kill('SIGKILL');
		if (store.instances === 1) {
			// SQLite: the same file, restarted; the client retries until it answers.
			instances = [await startInstance(store.db)];
		} else {
			instances = instances.slice(1);
		}

		// Bounded: a client that never gets everything is reported with what it lost.
		await Promise.race([client.finished, new Promise((resolve) => setTimeout(resolve, 60_000).unref())]);
		client.stop();
		return {store: store.name, lines, seconds: (now() - killed) / 1000, lost: lines - client.received(), doubled: client.doubled()};
	} finally {
		await Promise.all(instances.map(async (instance) => stopInstance(instance, 'SIGKILL')));
	}
}

async function main(): Promise<void> {
	const started = now();
	setTimeout(() => {
		process.stderr.write('bench:cluster took over 8 minutes; stopping\n');
		process.exit(1);
	}, 480_000).unref();
	const postgres = await testPostgres();
	if ('missing' in postgres) {throw new Error(postgres.missing);}
	const database = await createTestDatabase(postgres, 'bench');
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-cluster-'));
	const sqlite: Store = {name: 'SQLite', db: path.join(dir, 'bench.db'), instances: 1};
	const one: Store = {name: 'PostgreSQL, 1 instance', db: database.url, instances: 1};
	const two: Store = {name: 'PostgreSQL, 2 instances', db: database.url, instances: 2};
	const loadBefore = load();
	try {
		const ingest: string[][] = [];
		for (const batch of [1, 100, 500]) {
			for (const store of [sqlite, one, two]) {
				ingest.push([`ingest batch ${String(batch).padStart(3)}`, store.name, Math.round(await ingestRate(store, batch, 3)).toLocaleString('en-US')]);
			}
		}

		const deliveries: Delivery[] = [
			await delivery(sqlite, 'SQLite, client on the instance', [1], 1000, 5),
			await delivery(two, 'PostgreSQL, client on the ingesting instance', [1, 0], 1000, 5),
			await delivery(two, 'PostgreSQL, client on the other instance', [0, 1], 1000, 5),
			await delivery(sqlite, 'SQLite, 1,000 clients on one instance', [1000], 100, 5),
			await delivery(two, 'PostgreSQL, 1,000 clients, 500 on each', [500, 500], 100, 5),
		];
		const resumes = [await resumeAfterKill(sqlite, 100_000), await resumeAfterKill(two, 100_000)];

		const write = (rows: string[][]) => {
			const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
			for (const row of rows) {process.stdout.write(`${row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')}\n`);}
			process.stdout.write('\n');
		};

		process.stdout.write(`bench:cluster (loopback; every instance a process; PostgreSQL: ${postgres.source}; load ${loadBefore})\n\n`);
		write([['measure', 'store', 'lines/s'], ...ingest]);
		write([
			['delivery', 'lines/s', 'clients', 'delivered', 'p50 ms', 'p99 ms', 'max ms'],
			...deliveries.map((d) => [d.label, d.rate.toLocaleString('en-US'), String(d.clients), `${d.received}/${d.sent}`, d.p50.toFixed(1), d.p99.toFixed(1), d.max.toFixed(1)]),
		]);
		write([
			['kill -9 during a replay', 'lines', 'seconds to the last line', 'lost', 'doubled'],
			...resumes.map((r) => [r.store === 'SQLite' ? 'SQLite, same file restarted' : 'PostgreSQL, on the other instance', r.lines.toLocaleString('en-US'), r.seconds.toFixed(2), String(r.lost), String(r.doubled)]),
		]);
		process.stdout.write(`(${((now() - started) / 1000).toFixed(0)} s; load average before ${loadBefore}, after ${load()})\n`);
	} finally {
		agent.destroy();
		await database.drop();
		await postgres.embedded?.destroy();
		rmSync(dir, {recursive: true, force: true});
	}
}

await main();
