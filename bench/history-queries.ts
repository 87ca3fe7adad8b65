/*
 * tsx bench/history-queries.ts [sqlite|postgres] [lines] [runs]: the run list, a run's task summary and
 * history search (issue 17) on a store of `lines` records (default 2,000,000) in `runs` runs (default 10,000)
 * of one automation with 5 tasks each; one line in 100,000 says "needle", one in 1,000 is an ERROR. The
 * store is filled through the store contract (no HTTP), then a real server answers real requests, timed
 * from this process. PostgreSQL: DBTAIL_BENCH_PG (default postgres://postgres@127.0.0.1:5432/postgres),
 * into a database of its own, dropped after.
 */
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import pg from 'pg';
import {startServer} from '../source/server/index.js';
import {openStore} from '../source/server/store/open-store.js';
import type {NewLine} from '../source/server/store/types.js';

const [kind = 'sqlite', linesArg = '2000000', runsArg = '10000'] = process.argv.slice(2);
const totalLines = Number(linesArg);
const totalRuns = Number(runsArg);
const perRun = Math.floor(totalLines / totalRuns);

async function database(): Promise<{url: string; drop(): Promise<void>}> {
	if (kind === 'sqlite') {
		const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-history-'));
		return {url: path.join(dir, 'bench.db'), drop: async () => rmSync(dir, {recursive: true, force: true})};
	}

	const admin = process.env.DBTAIL_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
	const name = `dbtail_bench_history_${process.pid}`;
	const run = async (sql: string) => {
		const client = new pg.Client({connectionString: admin});
		await client.connect();
		await client.query(sql);
		await client.end();
	};

	await run(`CREATE DATABASE ${name}`);
	const url = new URL(admin);
	url.pathname = `/${name}`;
	return {url: url.href, drop: async () => run(`DROP DATABASE ${name} WITH (FORCE)`)};
}

async function fill(url: string): Promise<void> {
	const store = await openStore(url, {log() {}, poolSize: 4});
	const started = performance.now();
	let n = 0;
	for (let r = 0; r < totalRuns; r++) {
		const {value: run} = await store.createRun('automation', 'etl', undefined);
		const lines: NewLine[] = [];
		for (let i = 0; i < perRun; i++, n++) {
			const message = n % 100_000 === 50_000 ? `needle found at ${n}` : `step ${i} of run ${r}: processed ${n} rows in batch`;
			lines.push({level: n % 1000 === 999 ? 'ERROR' : 'INFO', message, timestamp: new Date(1_700_000_000_000 + n * 10).toISOString(), childId: `task-${i % 5}`});
		}

		await store.appendLogs(run.runId, lines);
		await store.finishRun(run.runId, r % 7 === 0 ? 'failed' : 'succeeded');
	}

	process.stdout.write(`filled ${n.toLocaleString('en-US')} lines in ${totalRuns.toLocaleString('en-US')} runs in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
	await store.close();
}

async function timed(url: string, times = 1): Promise<{ms: number; body: Record<string, unknown>}> {
	const samples: number[] = [];
	let body: Record<string, unknown> = {};
	for (let i = 0; i < times; i++) {
		const started = performance.now();
		const response = await fetch(url);
		body = (await response.json()) as Record<string, unknown>;
		samples.push(performance.now() - started);
		if (!response.ok) {throw new Error(`${url}: ${response.status} ${JSON.stringify(body)}`);}
	}

	samples.sort((a, b) => a - b);
	return {ms: samples[Math.floor(samples.length / 2)]!, body};
}

const report = (what: string, ms: number, more = '') => process.stdout.write(`${what.padEnd(58)} ${ms.toFixed(1).padStart(9)} ms${more ? `  ${more}` : ''}\n`);

async function searchAll(base: string, pattern: string): Promise<void> {
	const started = performance.now();
	let after = 0;
	let requests = 0;
	let matches = 0;
	let slowest = 0;
	for (;;) {
		const one = await timed(`${base}&runs=all&order=asc&limit=100&after=${after}&grep=${encodeURIComponent(pattern)}`);
		requests++;
		slowest = Math.max(slowest, one.ms);
		matches += (one.body.logs as unknown[]).length;
		if (one.body.next === null) {break;}
		after = Number(one.body.next);
	}

	report(`search all runs for ${JSON.stringify(pattern)}`, performance.now() - started, `${matches} matches, ${requests} requests, slowest ${slowest.toFixed(0)} ms`);
}

const db = await database();
try {
	await fill(db.url);
	const server = await startServer({dbPath: db.url, port: 0, log() {}, ...(kind === 'postgres' ? {dbPoolSize: 4} : {})});
	try {
		const runs = `${server.url}/api/automations/etl/runs`;
		report('run list, newest 50 (median of 20)', (await timed(`${runs}?limit=50`, 20)).ms);
		report('run list, 50 before the 5,000th run (median of 20)', (await timed(`${runs}?limit=50&before=r-${Math.floor(totalRuns / 2)}`, 20)).ms);
		report('run list, 1,000 (median of 10)', (await timed(`${runs}?limit=1000`, 10)).ms);
		report('task summary of one run (median of 20)', (await timed(`${server.url}/api/runs/r-${Math.floor(totalRuns / 2)}/tasks`, 20)).ms);
		const base = `${server.url}/api/automations/logs?automationID=etl`;
		const rare = await timed(`${base}&runs=all&order=desc&limit=100&grep=needle`);
		report('search one request, rare pattern (budget-bound)', rare.ms, `scanned ${String(rare.body.scanned)}`);
		const common = await timed(`${base}&runs=all&order=desc&limit=100&grep=error`);
		report('search one request, common pattern (100 matches)', common.ms, `scanned ${String(common.body.scanned)}`);
		const evil = await timed(`${base}&runs=all&order=desc&limit=100&grep=${encodeURIComponent('(x+x+)+y')}`);
		report('search one request, pathological (x+x+)+y', evil.ms, `scanned ${String(evil.body.scanned)}`);
		const counted = await timed(`${base}&runs=all&order=desc&limit=1&grep=needle&count=true`);
		report('count in the whole entity (count=true)', counted.ms, JSON.stringify(counted.body.count));
		await searchAll(base, 'needle');
		const marked = await timed(`${runs}?limit=50&grep=needle`);
		report('run list of 50 with grep=needle', marked.ms);
	} finally {
		await server.close();
	}
} finally {
	await db.drop();
}
