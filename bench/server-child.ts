/*
 * The reference server for bench:server in a child process of its own (this file with --serve), so the clients
 * measured do not share its event loop, and the HTTP helpers the bench drives it with. The child inherits the
 * bench's file limit, which bench/server.ts raises before anything starts (10,000 streams are 10,000 sockets).
 */
import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const self = fileURLToPath(import.meta.url);

export type Child = {url: string; child: ChildProcess; dir: string};

/** A server with no cap of its own on streams: what the bench finds is where the machine and the process end. */
export async function startChild(durability: 'normal' | 'full', extraArgs: string[] = []): Promise<Child> {
	const dir = mkdtempSync(path.join(tmpdir(), 'dbtail-bench-'));
	const child = spawn(process.execPath, [...process.execArgv, ...extraArgs, self, '--serve', path.join(dir, 'bench.db'), durability], {
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
		child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
		setTimeout(() => reject(new Error('bench server did not start in 20 s')), 20_000).unref();
	});
	return {url, child, dir};
}

export async function stopChild({child, dir}: Child): Promise<void> {
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
	await exited;
	clearTimeout(timer);
	rmSync(dir, {recursive: true, force: true});
}

/** The child's resident memory now, from /proc (the server's own metrics would cost it a scrape). */
export function rssMb({child}: Child): number {
	try {
		return Number(/^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${child.pid!}/status`, 'utf8'))?.[1] ?? Number.NaN) / 1024;
	} catch {
		return Number.NaN;
	}
}

/** CPU seconds (user + system) the child has used so far, from /proc (clock ticks of 1/100 s). */
export function cpuSeconds({child}: {child: ChildProcess}): number {
	try {
		const fields = readFileSync(`/proc/${child.pid!}/stat`, 'utf8').split(') ')[1]!.split(' ');
		return (Number(fields[11]) + Number(fields[12])) / 100;
	} catch {
		return Number.NaN;
	}
}

export const agent = new http.Agent({keepAlive: true, maxSockets: 16});

export async function post(url: string, body: string, type = 'application/json'): Promise<string> {
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

export async function get(url: string): Promise<string> {
	return new Promise((resolve, reject) => {
		http.get(url, {agent}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => resolve(text));
		}).on('error', reject);
	});
}

export async function newRun(url: string): Promise<string> {
	return (JSON.parse(await post(`${url}/api/runs`, JSON.stringify({automationId: 'bench'}))) as {runId: string}).runId;
}

if (process.argv[1] === self && process.argv[2] === '--serve') {
	const {startServer} = await import('../source/server/index.js');
	const server = await startServer({
		dbPath: process.argv[3]!,
		port: 0,
		durability: process.argv[4] as 'normal' | 'full',
		maxConnections: 1_000_000,
		maxConnectionsPerToken: 1_000_000,
	});
	process.stdout.write(`${server.url}\n`);
	process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
