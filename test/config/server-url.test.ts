import {describe, expect, it} from 'vitest';
import {resolveConnection, credentialsFor} from '../../source/config/connection.js';
import {ProfileStore} from '../../source/config/profile-store.js';
import {normalizeServer} from '../../source/config/server-url.js';
import {parseSource, sourceProblem} from '../../source/protocol/source.js';
import {tempConfigDir} from '../follow/run-cli.js';

/* One rule for a server typed without http://, whichever command reads it. */

describe('a server without a scheme', () => {
	it.each([
		['127.0.0.1:8080', 'http://127.0.0.1:8080'],
		['localhost:8080', 'http://localhost:8080'],
		['LOCALHOST', 'http://localhost'],
		['[::1]:9000/dbtail', 'http://[::1]:9000/dbtail'],
		['127.1.2.3:8080', 'http://127.1.2.3:8080'],
	])('%s is http on this machine', (typed, saved) => {
		expect(normalizeServer(typed)).toBe(saved);
		expect(parseSource('all', typed).server?.href.replace(/\/$/, '')).toBe(saved);
	});

	it.each(['logs.example.com:8080', '10.0.0.5:8080', 'localhost.example.com'])('%s needs its scheme said: one clear message', (typed) => {
		const message = `server "${typed}" needs http:// or https:// in front (only a loopback host, such as localhost:8080, may leave it out)`;
		expect(() => normalizeServer(typed)).toThrow(message);
		expect(sourceProblem('automation/x', typed)).toBe(message);
	});

	it('keeps the other refusals as they were', () => {
		expect(() => normalizeServer('ftp://x')).toThrow('server "ftp://x" must start with http:// or https://');
		expect(() => normalizeServer('http://user:pw@127.0.0.1:1')).toThrow('must not carry a user or password');
	});

	it('goes with the token saved for the same server, however it was typed', async () => {
		const store = new ProfileStore(tempConfigDir());
		await store.set('default', 'server', 'http://127.0.0.1:8080');
		await store.set('default', 'token', 'saved-token');
		const connection = resolveConnection({server: '127.0.0.1:8080'}, {}, store);
		expect(connection).toMatchObject({server: 'http://127.0.0.1:8080', token: 'saved-token'});
		expect(credentialsFor(connection, 'task/extract').token).toBe('saved-token');
		expect(resolveConnection({}, {DBTAIL_SERVER: 'localhost:1', DBTAIL_TOKEN: 'env-token'}, store)).toMatchObject({server: 'http://localhost:1', token: 'env-token'});
	});
});
