import {spawn} from 'node:child_process';
import path from 'node:path';
import process from 'node:process';
import {fileURLToPath} from 'node:url';
import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import type {Catalog} from '../../source/protocol/api.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {acquirePostgres, createTestDatabase, pgSuite, releasePostgres, testPostgres, type TestDatabase} from '../helpers/test-postgres.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * `dbtail serve --db postgres://...` as a user runs it: what it prints (never the password), DBTAIL_DB,
 * --demo on PostgreSQL, a clean SIGTERM, and the one-line refusals at start.
 */

const postgres = await testPostgres();
const bin = fileURLToPath(new URL('../../bin/dbtail.js', import.meta.url));

/** The test database's URL with a password in it (trust auth ignores it; a configured one is kept). */
function withPassword(url: string): {url: string; password: string} {
	const parsed = new URL(url);
	if (!parsed.password) {parsed.password = 'never-printed-pw';}
	return {url: parsed.toString(), password: decodeURIComponent(parsed.password)};
}

async function runToExit(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, [bin, 'serve', ...args], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
	child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
	const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
	return {code, stdout, stderr};
}

describe.skipIf('missing' in postgres)(pgSuite('dbtail serve --db postgres://', postgres), () => {
	let database: TestDatabase;
	const processes: ServeProcess[] = [];
	beforeAll(async () => {
		if (!('missing' in postgres)) {database = await createTestDatabase(await acquirePostgres(), 'serve');}
	});
	afterEach(async () => {
		await Promise.all(processes.splice(0).map(async (serve) => serve.stop('SIGKILL')));
	});
	afterAll(async () => {
		if (!database) {return;}
		await database.drop();
		await releasePostgres();
	});

	it('says which database it serves without its password, runs the demo on it, and drains on SIGTERM', async () => {
		const {url, password} = withPassword(database.url);
		const serve = await startServeProcess(url, ['--demo', '--rate', '200', '--db-pool', '3']);
		processes.push(serve);
		const reader = await SseReader.open(`${serve.url}/api/automations/nightly-etl/logs?stream=true`);
		try {
			await reader.waitFor(() => reader.logs.length >= 5, 'demo lines');
		} finally {
			reader.close();
		}

		const catalog = (await (await fetch(`${serve.url}/api/catalog`)).json()) as Catalog;
		expect(catalog.automations.map((entry) => entry.id)).toEqual(['hourly-sync', 'nightly-etl']);
		expect(await serve.stop('SIGTERM')).toBe(0);
		const shown = new URL(database.url);
		shown.password = '';
		expect(serve.output()).toMatch(new RegExp(`^store: PostgreSQL postgres://${shown.username}@${shown.host}${shown.pathname} \\(epoch [0-9a-f]{12}; instances on this database share streams\\)$`, 'm'));
		expect(serve.output()).not.toContain(password);
		// The demo cancelled the runs it left open before the store closed.
		const again = await startServeProcess(url);
		processes.push(again);
		const after = (await (await fetch(`${again.url}/api/catalog`)).json()) as Catalog;
		expect([...after.automations, ...after.pipelines].every((entry) => entry.currentRun?.status !== 'running')).toBe(true);
	});

	it('takes the database from DBTAIL_DB when --db is not given', async () => {
		const serve = await runToExitAfterListening({DBTAIL_DB: database.url});
		expect(serve).toMatch(/^store: PostgreSQL postgres:\/\//m);
	});

	it('refuses at start, in one line that never holds the password: an unreachable database, and flags that do not apply', async () => {
		const cases: Array<[string[], NodeJS.ProcessEnv, RegExp]> = [
			[['--db', 'postgres://bob:url-secret@127.0.0.1:1/logs'], {}, /^dbtail: cannot reach the database postgres:\/\/bob@127\.0\.0\.1:1\/logs: connect ECONNREFUSED 127\.0\.0\.1:1\n$/],
			[['--db', 'postgresql://bob@127.0.0.1:1/logs'], {PGPASSWORD: 'env-secret'}, /^dbtail: cannot reach the database postgresql:\/\/bob@127\.0\.0\.1:1\/logs: connect ECONNREFUSED/],
			[['--db', 'postgres://bob:url-secret@[::1/logs'], {}, /^dbtail: the database postgres:\/\/… is not a URL: write postgres:\/\/user@host:5432\/dbname/],
			[['--db', database.url, '--durability', 'full'], {}, /^dbtail: --durability applies to an SQLite file; on PostgreSQL durability is the database's own/],
			[['--db', path.join(process.cwd(), 'nowhere.db'), '--db-pool', '4'], {}, /^dbtail: --db-pool only applies with --db postgres:\/\/\.\.\.\n$/],
		];
		for (const [args, env, message] of cases) {
			const {code, stderr} = await runToExit(['--port', '0', ...args], env);
			expect(code, args.join(' ')).toBe(2);
			expect(stderr, args.join(' ')).toMatch(message);
			expect(stderr).not.toMatch(/url-secret|env-secret|\n\s+at /);
		}
	});

	/** Starts serve with only `env` naming the store, waits for the store line, and stops it. */
	async function runToExitAfterListening(env: NodeJS.ProcessEnv): Promise<string> {
		const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {env: {...process.env, ...env}, stdio: ['ignore', 'pipe', 'pipe']});
		let output = '';
		await new Promise<void>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`no store line within 15 s:\n${output}`)), 15_000);
			const onData = (chunk: Buffer) => {
				output += chunk.toString();
				if (/^store: .*$/m.test(output)) {
					clearTimeout(timer);
					resolve();
				}
			};

			child.stdout.on('data', onData);
			child.stderr.on('data', onData);
		});
		const exited = new Promise((resolve) => child.once('exit', resolve));
		child.kill('SIGTERM');
		await exited;
		return output;
	}
});
