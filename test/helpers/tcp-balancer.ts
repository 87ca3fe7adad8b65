import net from 'node:net';
import process from 'node:process';

/*
 * `node --import tsx tcp-balancer.ts PORT BACKEND...`: round-robin TCP balancing on 127.0.0.1:PORT, the
 * stand-in for nginx (balancer.ts) on machines without it. Like nginx's `proxy_next_upstream error`, a
 * connection that an instance refuses goes to the next one; one that an instance drops is dropped.
 */

const [port, ...backends] = process.argv.slice(2).map(Number);
let next = 0;

function connect(client: net.Socket, tries: number): void {
	const backend = backends[next++ % backends.length]!;
	const upstream = net.connect(backend, '127.0.0.1');
	let connected = false;
	upstream.once('connect', () => {
		connected = true;
		upstream.once('close', () => client.destroy());
		client.once('close', () => upstream.destroy());
		client.pipe(upstream).pipe(client);
		client.resume();
	});
	upstream.on('error', () => {
		if (!connected && tries > 1 && !client.destroyed) {
			connect(client, tries - 1);
		} else {
			client.destroy();
		}
	});
}

net
	.createServer({pauseOnConnect: true}, (client) => {
		client.on('error', () => {});
		connect(client, backends.length);
	})
	.listen(port, '127.0.0.1');
