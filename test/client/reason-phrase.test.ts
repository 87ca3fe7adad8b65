import net from 'node:net';
import type {AddressInfo} from 'node:net';
import {afterEach, describe, expect, it} from 'vitest';
import {isSafeText} from '../../source/protocol/sanitize.js';
import {collect} from './collect.js';

/*
 * The HTTP reason phrase comes from the server and ends up in the error `dbtail follow` prints. node's
 * http client lets ESC and BEL through in it (and node's http server refuses to send them), so the
 * answer is written raw on the socket.
 */

let server: net.Server | undefined;
afterEach(async () => {
	await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
	server = undefined;
});

async function rawServer(statusLine: string): Promise<string> {
	server = net.createServer((socket) => {
		socket.once('data', () => {
			socket.end(Buffer.from(`${statusLine}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`, 'latin1'));
		});
	});
	await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('an HTTP error with a hostile reason phrase', () => {
	it('shows the reason with its control characters neutralized', async () => {
		const url = await rawServer('HTTP/1.1 404 Gone\u001B]0;pwned\u0007\u001B[2J away');
		const run = collect({source: `${url}/events`});
		run.stream.start();
		const final = await run.ended(10_000);
		expect(final.kind).toBe('failed');
		const {reason} = final as {reason: string};
		expect(reason).toBe('HTTP 404 Gone␛]0;pwned␇␛[2J away');
		expect(isSafeText(reason)).toBe(true);
	});
});
