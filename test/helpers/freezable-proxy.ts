import net from 'node:net';
import type {AddressInfo} from 'node:net';

/**
 * A TCP proxy on 127.0.0.1 in front of `target` that can be frozen: while frozen it forwards nothing
 * either way and closes nothing, as a database that stopped answering looks from the client's side
 * (a hung VM, a SIGSTOPped server, a stuck middlebox). Thawing lets everything through again.
 */
export class FreezableProxy {
	readonly #server: net.Server;
	readonly #sockets = new Set<net.Socket>();
	#frozen = false;

	private constructor(server: net.Server) {
		this.#server = server;
	}

	static async start(target: {host: string; port: number}): Promise<FreezableProxy> {
		const server = net.createServer({pauseOnConnect: true});
		const proxy = new FreezableProxy(server);
		server.on('connection', (client) => {
			const upstream = net.connect(target.port, target.host);
			for (const socket of [client, upstream]) {
				proxy.#sockets.add(socket);
				socket.on('error', () => {});
				socket.on('close', () => proxy.#sockets.delete(socket));
			}

			client.once('close', () => upstream.destroy());
			upstream.once('close', () => client.destroy());
			client.pipe(upstream).pipe(client);
			// pipe() set both flowing: a connection made while frozen stays frozen.
			if (proxy.#frozen) {
				client.pause();
				upstream.pause();
			}
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		return proxy;
	}

	get port(): number {
		return (this.#server.address() as AddressInfo).port;
	}

	freeze(): void {
		this.#frozen = true;
		for (const socket of this.#sockets) {socket.pause();}
	}

	thaw(): void {
		this.#frozen = false;
		for (const socket of this.#sockets) {socket.resume();}
	}

	async close(): Promise<void> {
		for (const socket of this.#sockets) {socket.destroy();}
		await new Promise<void>((resolve) => this.#server.close(() => resolve()));
	}
}
