import {readFileSync} from 'node:fs';
import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';

/*
 * The "other origin" of the browser tests: a tiny HTTP server on another loopback port that serves one
 * page and its script, as any web site on the user's machine would. Its origin is `http://<name>:<port>`;
 * `name` may be `localhost` (another site than 127.0.0.1) or `127.0.0.1` (the same site, another origin).
 */

export type PageServer = {origin: string; close(): Promise<void>};

export async function startPageServer(scriptPath: string, name: 'localhost' | '127.0.0.1' = '127.0.0.1'): Promise<PageServer> {
	const script = readFileSync(scriptPath, 'utf8');
	const server = createServer((req, res) => {
		if (req.url === '/page.js') {
			res.writeHead(200, {'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store'});
			res.end(script);
			return;
		}

		res.writeHead(200, {'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store'});
		res.end('<!doctype html><meta charset="utf-8"><title>another origin</title><script src="/page.js"></script>');
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const {port} = server.address() as AddressInfo;
	return {
		origin: `http://${name}:${port}`,
		close: async () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
