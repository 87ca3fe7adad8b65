import {spawn, type ChildProcess} from 'node:child_process';
import http from 'node:http';
import process from 'node:process';
import {fileURLToPath} from 'node:url';

/*
 * SSE clients for the benches, in child processes of their own (this file with --clients), so parsing
 * 100,000 events/s does not delay the producer's clock or the server. Each line's message is `t=<ms>`, its
 * send time; performance.timeOrigin + now() is the wall clock at sub-millisecond resolution in every process
 * on the machine, so latency is receive time minus that.
 */

const self = fileURLToPath(import.meta.url);
export const now = () => performance.timeOrigin + performance.now();

export type ClientReport = {received: number; latencies: number[]};
export type ClientGroup = {child: ChildProcess; ready: Promise<void>};

/** `count` SSE clients on `url`'s `all` stream (live only) in a process of their own. */
export function startClients(url: string, count: number): ClientGroup {
	const child = spawn(process.execPath, [...process.execArgv, self, '--clients', url, String(count)], {stdio: ['ignore', 'inherit', 'inherit', 'ipc']});
	const ready = new Promise<void>((resolve, reject) => {
		child.once('message', () => resolve());
		child.once('exit', (code) => reject(new Error(`client process exited with ${code}`)));
	});
	return {child, ready};
}

export async function collect(group: ClientGroup): Promise<ClientReport> {
	const report = new Promise<ClientReport>((resolve) => group.child.once('message', (message) => resolve(message as ClientReport)));
	group.child.send('stop');
	const result = await report;
	group.child.kill('SIGKILL');
	return result;
}

/** In a client process: hold the streams, time every `t=<ms>` line, report when told to stop. */
async function runClients(url: string, count: number): Promise<void> {
	const latencies: number[] = [];
	let received = 0;
	const sseAgent = new http.Agent({keepAlive: false, maxSockets: Infinity});
	const requests: http.ClientRequest[] = [];
	await Promise.all(
		Array.from({length: count}, async () => {
			await new Promise<void>((resolve, reject) => {
				const call = http.get(`${url}/api/logs/stream?initial=0&heartbeat=60`, {agent: sseAgent}, (response) => {
					response.setEncoding('utf8');
					let carry = '';
					response.on('data', (chunk: string) => {
						const at = now();
						const text = carry + chunk;
						const cut = text.lastIndexOf('\n\n');
						carry = cut < 0 ? text : text.slice(cut + 2);
						for (const match of (cut < 0 ? '' : text.slice(0, cut)).matchAll(/"message":"t=([\d.]+)"/g)) {
							latencies.push(at - Number(match[1]));
							received++;
						}
					});
					resolve();
				});
				call.on('error', reject);
				requests.push(call);
			});
		}),
	);
	process.send!('ready');
	process.once('message', () => {
		for (const call of requests) {call.destroy();}
		const report: ClientReport = {received, latencies};
		process.send!(report);
	});
}

if (process.argv[1] === self && process.argv[2] === '--clients') {
	await runClients(process.argv[3]!, Number(process.argv[4]));
}
