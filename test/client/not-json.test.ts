import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {fetchCatalog} from '../../source/client/catalog.js';
import {fetchRuns, fetchRunTasks} from '../../source/client/runs.js';

/*
 * A server (or a proxy, a captive portal) that answers 200 with something that is not JSON, here with terminal
 * escape sequences in it: JSON.parse's message quoted the body raw, and the viewer's status bar and `dbtail runs`
 * printed it.
 */
const HOSTILE = '\u001B]0;owned\u0007\u001B[2J<html>';

let server: Server;
let url: string;

beforeAll(async () => {
	server = createServer((_req, res) => {
		res.writeHead(200, {'content-type': 'application/json'});
		res.end(HOSTILE);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
});

describe('an answer that is not JSON', () => {
	it('is one line naming the server, quoting none of the body', async () => {
		const failures = await Promise.all([
			fetchRuns({server: url, kind: 'automation', id: 'etl', limit: 10}).catch((error: unknown) => error),
			fetchRunTasks({server: url}, 'r-1').catch((error: unknown) => error),
			fetchCatalog({server: url}).catch((error: unknown) => error),
		]);
		for (const failure of failures) {
			expect(failure).toBeInstanceOf(Error);
			expect((failure as Error).message).toMatch(/^http:\/\/127\.0\.0\.1:\d+ sent .+ that is not JSON: is it a dbtail server\?$/);
			expect((failure as Error).message).not.toContain('\u001B');
			expect((failure as Error).message).not.toContain('\u0007');
		}
	});
});
