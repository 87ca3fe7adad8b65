import fs from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {credentialsFor, resolveConnection} from '../../source/config/connection.js';
import {ProfileStore} from '../../source/config/profile-store.js';
import {runCli, tempConfigDir} from '../follow/run-cli.js';

describe('profiles', () => {
	it('writes the config file 0600 in a 0700 directory, even when it existed with looser bits', async () => {
		const dir = path.join(tempConfigDir(), 'nested');
		const store = new ProfileStore(dir);
		await store.set('default', 'server', 'http://a');
		expect(fs.statSync(store.path).mode & 0o777).toBe(0o600);
		expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
		fs.chmodSync(store.path, 0o644);
		await store.set('default', 'token', 't');
		expect(fs.statSync(store.path).mode & 0o777).toBe(0o600);
	});

	it('resolves each field flag > environment > profile', async () => {
		const store = new ProfileStore(tempConfigDir());
		await store.set('default', 'server', 'http://profile');
		await store.set('default', 'token', 'profile-token');
		await store.set('ci', 'server', 'http://ci');
		expect(resolveConnection({}, {}, store)).toEqual({server: 'http://profile', token: 'profile-token', tokenCommand: undefined, tokenOrigin: 'http://profile'});
		expect(resolveConnection({}, {DBTAIL_SERVER: 'http://env', DBTAIL_TOKEN: 'env-token'}, store)).toMatchObject({
			server: 'http://env',
			token: 'env-token',
		});
		expect(resolveConnection({server: 'http://flag', token: 'flag-token'}, {DBTAIL_SERVER: 'http://env'}, store)).toMatchObject({
			server: 'http://flag',
			token: 'flag-token',
		});
		expect(resolveConnection({profile: 'ci'}, {}, store)).toMatchObject({server: 'http://ci', token: undefined});
		expect(resolveConnection({}, {DBTAIL_PROFILE: 'ci'}, store)).toMatchObject({server: 'http://ci'});
		expect(() => resolveConnection({profile: 'nope'}, {}, store)).toThrow('no profile "nope"');
		expect(() => resolveConnection({profile: '../x'}, {}, store)).toThrow('bad profile name');
	});

	it('sends a saved or exported token only to the server it belongs to', async () => {
		const store = new ProfileStore(tempConfigDir());
		await store.set('default', 'server', 'http://profile:8080');
		await store.set('default', 'token', 'profile-token');
		// Another --server: the profile's token stays home.
		expect(resolveConnection({server: 'http://elsewhere:8080'}, {}, store)).toMatchObject({server: 'http://elsewhere:8080', token: undefined});
		expect(resolveConnection({server: 'http://profile:8080/'}, {}, store)).toMatchObject({token: 'profile-token'});
		// DBTAIL_TOKEN goes with DBTAIL_SERVER, not with a --server that differs.
		expect(resolveConnection({server: 'http://x:1'}, {DBTAIL_SERVER: 'http://env:1', DBTAIL_TOKEN: 'env-token'}, store).token).toBeUndefined();
		// A flag is the user's choice, sent wherever they point it.
		expect(resolveConnection({server: 'http://x:1', token: 'flag-token'}, {}, store).token).toBe('flag-token');

		const home = resolveConnection({}, {}, store);
		expect(credentialsFor(home, 'task/extract').token).toBe('profile-token');
		expect(credentialsFor(home, 'http://profile:8080/api/logs/stream').token).toBe('profile-token');
		expect(credentialsFor(home, 'https://attacker.example/sse').token).toBeUndefined();
		const flagged = resolveConnection({token: 'flag-token'}, {}, store);
		expect(credentialsFor(flagged, 'https://other.example/sse').token).toBe('flag-token');
	});
});

describe('dbtail config and login', () => {
	it('saves a piped token without printing it, and masks it in get and list', async () => {
		const env = {DBTAIL_CONFIG_DIR: tempConfigDir()};
		// Unchecked: this is about masking; login.test.ts checks tokens with a real server.
		const login = runCli(['login', '--profile', 'ci', '--no-check'], {env, input: 's3cret-token\n'});
		expect(await login.exited, login.stderr()).toBe(0);
		const set = runCli(['config', 'set', 'server', 'http://127.0.0.1:7070/', '--profile', 'ci'], {env});
		expect(await set.exited, set.stderr()).toBe(0);
		const get = runCli(['config', 'get', 'token', '--profile', 'ci'], {env});
		const list = runCli(['config', 'list'], {env});
		expect(await get.exited, get.stderr()).toBe(0);
		expect(await list.exited, list.stderr()).toBe(0);
		expect(list.stdout()).toBe('[ci]\nserver = http://127.0.0.1:7070\ntoken = ******** (saved; never shown)\n');
		const everything = [login, set, get, list].map((run) => run.stdout() + run.stderr()).join('');
		expect(everything).not.toContain('s3cret');
		const file = fs.readFileSync(path.join(env.DBTAIL_CONFIG_DIR, 'config.json'), 'utf8');
		expect(JSON.parse(file).profiles.ci).toEqual({server: 'http://127.0.0.1:7070', token: 's3cret-token'});
	});

	it('refuses a token on the command line and names bad keys and input', async () => {
		const env = {DBTAIL_CONFIG_DIR: tempConfigDir()};
		const token = runCli(['config', 'set', 'token', 'abc'], {env});
		expect(await token.exited, token.stderr()).toBe(2);
		expect(token.stderr()).toContain('use "dbtail login"');
		const key = runCli(['config', 'set', 'colour', 'x'], {env});
		expect(await key.exited, key.stderr()).toBe(2);
		expect(key.stderr()).toBe('dbtail: unknown key "colour": use server, token, token-command, timestamps, notify or quiet-mark\n');
		const empty = runCli(['login'], {env, input: ''});
		expect(await empty.exited, empty.stderr()).toBe(2);
		expect(empty.stderr()).toContain('no token given');
		const server = runCli(['config', 'set', 'server', 'ftp://x'], {env});
		expect(await server.exited, server.stderr()).toBe(2);
		expect(server.stderr()).toContain('must start with http://');
	});
});
