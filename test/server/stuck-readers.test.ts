import {readFileSync, mkdtempSync, rmSync} from 'node:fs';
import net from 'node:net';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it as test} from 'vitest';
import type {HistoryAnswer, StreamStatus} from '../../source/protocol/api.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {useTestDatabase} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';
import {storeBackends} from './server-fixture.js';

/*
 * Readers that never read, and huge lines, against `dbtail serve` in its own process (dist/), so the RSS
 * sampled from /proc is the server's alone. The sizes fit the suite: 60 lines of 1 MB (the attack that took
 * a server to 4 GB used 600), 8 stuck readers.
 */

const MB = 1024 * 1024;

/** The process's resident memory, from /proc (Linux). */
function rssMb(pid: number): number {
	const line = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return Number(line?.[1] ?? 0) / 1024;
}

/** Samples a process's RSS every few ms until stopped; the peak is what an attack cost. */
function sampleRss(pid: number): {stop(): number} {
	let peak = rssMb(pid);
	const timer = setInterval(() => {
		try {
			peak = Math.max(peak, rssMb(pid));
		} catch {
			// The process is gone (a crash): the test sees it elsewhere.
		}
	}, 5);
	return {
		stop() {
			clearInterval(timer);
			return peak;
		},
	};
}

/** A client that asks for a stream and then never reads a byte of it. */
async function stuckReader(url: string, pathname: string): Promise<net.Socket> {
	const {hostname, port} = new URL(url);
	const socket = net.connect(Number(port), hostname);
	await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
	socket.on('error', () => {});
	socket.write(`GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\n\r\n`);
	socket.pause();
	return socket;
}

const connections = async (url: string) => ((await (await fetch(`${url}/api/stream/status`)).json()) as StreamStatus).connections;

/** Lines of `size` characters each, `count` of them, posted in batches under the 16 MB body limit. */
async function ingestBig(url: string, runId: string, count: number, size: number, char = 'x'): Promise<void> {
	const perBatch = Math.max(1, Math.floor((12 * MB) / (size * (char === 'x' ? 1 : 6))));
	for (let done = 0; done < count; done += perBatch) {
		const lines = Array.from({length: Math.min(perBatch, count - done)}, (_, i) => `${done + i} ${char.repeat(size)}`);
		await ingest(url, undefined, runId, lines);
	}
}

const backends = await storeBackends();

describe.each(backends)('stuck readers and huge lines on $name', (backend) => {
	const it = backend.skip ? test.skip : test;
	const database = useTestDatabase('stuck', backend.postgres && !backend.skip);
	let dir: string;
	let server: ServeProcess | undefined;
	const sockets: net.Socket[] = [];
	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-stuck-'));
	});
	afterEach(async () => {
		for (const socket of sockets.splice(0)) {socket.destroy();}
		await server?.stop('SIGKILL');
		server = undefined;
		rmSync(dir, {recursive: true, force: true});
	});

	const serve = async (args: string[]) => {
		server = await startServeProcess(database()?.url ?? path.join(dir, 'logs.db'), args);
		return server;
	};

	it('40 lines of 1 MB: 8 stuck streams and 8 history reads hold little, pages say next, the write timeout cuts the stuck', {timeout: 120_000}, async () => {
		const {url, process: child} = await serve(['--write-timeout', '3']);
		const runId = await createRun(url, undefined, {automationId: 'big'});
		await ingestBig(url, runId, 40, MB);
		const rss = sampleRss(child.pid!);
		for (let i = 0; i < 8; i++) {sockets.push(await stuckReader(url, '/api/automations/big/logs?stream=true'));}
		await until(async () => (await connections(url)) === 8, 'the 8 stuck streams to open');

		// 8 plain history reads at once, each of the whole run: every answer is a page within the budget, and
		// following `next` reads the run whole.
		const read = async () => {
			const ids: string[] = [];
			let sizes = 0;
			for (let after = '0'; ; ) {
				const response = await fetch(`${url}/api/automations/logs?automationID=big&after=${after}&limit=1000`);
				expect(response.status).toBe(200);
				const text = await response.text();
				sizes = Math.max(sizes, text.length);
				const page = JSON.parse(text) as HistoryAnswer;
				ids.push(...page.logs.map((record) => record.id));
				if (!page.next) {return {ids, largest: sizes};}
				after = page.next;
			}
		};

		const reads = await Promise.all(Array.from({length: 8}, read));
		const peak = rss.stop();
		for (const {ids, largest} of reads) {
			expect(ids).toHaveLength(40);
			expect(largest).toBeLessThanOrEqual(5 * MB);
		}

		// Before byte-sized pages each stream and each history read held the whole run and more as JSON: 2,797 MB
		// at the peak with these 40 lines (4.8 GB with 100). Now the peak does not grow with the run: 450 to 620 MB
		// with 40 lines or 100, most of it garbage of 1 MB strings that V8 collects when it pleases.
		expect(peak, `peak ${peak.toFixed(0)} MB`).toBeLessThan(1000);
		await until(async () => (await connections(url)) === 0, 'the write timeout to cut the stuck streams', 20_000);
		const metrics = await (await fetch(`${url}/metrics`)).text();
		expect(metrics).toMatch(/^dbtail_sse_cut_total\{reason="write-timeout"\} 8$/m);
		const health = await fetch(`${url}/healthz`);
		expect(health.status).toBe(200);
	});

	it('many stuck streams each within its own limit: past --max-queued-bytes the largest are cut, never the server', async () => {
		const {url, process: child} = await serve(['--max-queued-bytes', String(16 * MB)]);
		const runId = await createRun(url, undefined, {automationId: 'ctl'});
		for (let i = 0; i < 30; i++) {sockets.push(await stuckReader(url, '/api/logs/stream?initial=0'));}
		await until(async () => (await connections(url)) === 30, 'the 30 stuck streams to open');
		const before = rssMb(child.pid!);
		const rss = sampleRss(child.pid!);
		// 2 lines of 1 MiB of U+0001: 6 MiB an event once escaped, 12 MiB a stream, under each stream's 8 MiB
		// limit by events' count and checked only when more comes: 360 MiB in all without a server-wide bound.
		await ingestBig(url, runId, 2, MB, '\u0001');
		await until(async () => (await connections(url)) <= 2, 'the budget to cut the streams furthest behind');
		const peak = rss.stop();
		expect(peak - before, `peak ${peak.toFixed(0)} MB, ${before.toFixed(0)} MB before`).toBeLessThan(150);
		const metrics = await (await fetch(`${url}/metrics`)).text();
		expect(Number(/^dbtail_sse_cut_total\{reason="budget"\} (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(28);
		expect(Number(/^dbtail_sse_queued_bytes (\d+)$/m.exec(metrics)?.[1])).toBeLessThanOrEqual(16 * MB);
		expect((await fetch(`${url}/healthz`)).status).toBe(200);
	});
});
