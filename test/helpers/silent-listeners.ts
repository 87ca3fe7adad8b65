import {spawn} from 'node:child_process';
import net, {type AddressInfo} from 'node:net';
import process from 'node:process';

/*
 * Two ways an address can hold an attempt without refusing it, on real sockets:
 * - mute: accepts the TCP connection and never says a byte (a wedged process, a proxy with no upstream);
 * - stalled: never completes the TCP handshake (a firewall that drops SYNs). The listener is a child node
 *   process stopped with SIGSTOP, so nothing accepts; once its accept queue is full the kernel drops new
 *   SYNs and a connect stays pending, as it does towards a black-holed address.
 */

export type SilentListener = {port: number; url: string; close(): Promise<void>};

export async function startMuteListener(): Promise<SilentListener & {accepted(): number}> {
	const sockets = new Set<net.Socket>();
	let accepted = 0;
	const server = net.createServer((socket) => {
		accepted++;
		sockets.add(socket);
		socket.on('error', () => {});
		socket.once('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const {port} = server.address() as AddressInfo;
	return {
		port,
		url: `http://127.0.0.1:${port}`,
		accepted: () => accepted,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** Resolves true once `socket` connects, false if it is still connecting after `ms`. */
async function connectsWithin(socket: net.Socket, ms: number): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), ms);
		socket.once('connect', () => {
			clearTimeout(timer);
			resolve(true);
		});
	});
}

export async function startStalledListener(): Promise<SilentListener> {
	const script = 'const s = require("net").createServer(); s.listen({port: 0, host: "127.0.0.1", backlog: 1}, () => console.log(s.address().port));';
	const child = spawn(process.execPath, ['-e', script], {stdio: ['ignore', 'pipe', 'inherit']});
	const port = await new Promise<number>((resolve, reject) => {
		child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
		child.once('exit', () => reject(new Error('the listener exited before it listened')));
	});
	child.kill('SIGSTOP');
	// Fill the accept queue: fillers connect until one no longer can, which shows the queue is full.
	const fillers: net.Socket[] = [];
	for (let i = 0; i < 16; i++) {
		const filler = net.connect(port, '127.0.0.1');
		filler.on('error', () => {});
		fillers.push(filler);
		// One at a time: the first filler that cannot connect shows the queue is full.
		if (!(await connectsWithin(filler, 500))) {
			break;
		}
	}

	return {
		port,
		url: `http://127.0.0.1:${port}`,
		async close() {
			for (const filler of fillers) {
				filler.destroy();
			}

			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGKILL');
			await exited;
		},
	};
}
