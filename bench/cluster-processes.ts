/*
 * The processes of npm run bench:cluster: `dbtail serve` instances (this helper's --serve mode, so the
 * measuring process never shares their event loop), SSE client groups (--clients), and the HTTP calls.
 * performance.timeOrigin + now() is the wall clock at sub-millisecond resolution in every process on the
 * machine, so a line stamped by the producer can be timed by a client in another process.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

const self = fileURLToPath(import.meta.url);
export {collect, now, startClients, type ClientGroup, type ClientReport} from './latency-clients.js';

export type Instance = {url: string; child: ChildProcess};

export async function startInstance(db: string): Promise<Instance> {
	const child = spawn(process.execPath, [...process.execArgv, self, '--serve', db], {stdio: ['ignore', 'pipe', 'inherit']});
	const url = await new Promise<string>((resolve, reject) => {
		child.stdout!.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
		child.once('exit', (code) => reject(new Error(`bench instance exited with ${code}`)));
		setTimeout(() => reject(new Error('bench instance did not start in 20 s')), 20_000).unref();
	});
	return {url, child};
}

export async function stopInstance({child}: Instance, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) {return;}
	const exited = new Promise((resolve) => child.once('exit', resolve));
	child.kill(signal);
	const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
	await exited;
	clearTimeout(timer);
}

export const agent = new http.Agent({keepAlive: true, maxSockets: 64});

export async function request(method: 'GET' | 'POST', url: string, body?: string, type = 'application/json'): Promise<string> {
	return new Promise((resolve, reject) => {
		const headers = body === undefined ? {} : {'content-type': type, 'content-length': Buffer.byteLength(body)};
		const call = http.request(url, {method, agent, headers}, (response) => {
			let text = '';
			response.setEncoding('utf8');
			response.on('data', (chunk: string) => (text += chunk));
			response.on('end', () => (response.statusCode! < 300 ? resolve(text) : reject(new Error(`${response.statusCode} ${text}`))));
		});
		call.on('error', reject);
		call.end(body);
	});
}

export async function newRun(url: string, id = 'bench'): Promise<string> {
	return (JSON.parse(await request('POST', `${url}/api/runs`, JSON.stringify({automationId: id}))) as {runId: string}).runId;
}

export async function connections(url: string): Promise<number> {
	return (JSON.parse(await request('GET', `${url}/api/stream/status`)) as {connections: number}).connections;
}


if (process.argv[2] === '--serve') {
	const {startServer} = await import('../source/server/index.js');
	const db = process.argv[3]!;
	const server = await startServer({dbPath: db, port: 0, maxConnections: 10_000, maxConnectionsPerToken: 10_000, log: (line) => process.stderr.write(`bench instance: ${line}\n`)});
	process.stdout.write(`${server.url}\n`);
	process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
}
