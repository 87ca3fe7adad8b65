import {afterEach, beforeEach} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startServer, type RunningServer, type ServerOptions} from '../../source/server/index.js';
import {pgSuite, testPostgres, useTestDatabase} from '../helpers/test-postgres.js';
import type {SseReader} from './sse-reader.js';

/**
 * A real server on port 0 over a real SQLite file in a fresh temp dir (or, given `database`, a PostgreSQL
 * URL whose schema each test starts without); `cleanup` closes and deletes all.
 */
export class ServerFixture {
	readonly dir = mkdtempSync(path.join(tmpdir(), 'dbtail-server-test-'));
	readonly readers: SseReader[] = [];
	readonly #servers: RunningServer[] = [];
	readonly #database: string | undefined;

	constructor(database?: string) {
		this.#database = database;
	}

	/** The store the servers open: the SQLite file, or the PostgreSQL URL. */
	get dbPath(): string {
		return this.#database ?? path.join(this.dir, 'logs.db');
	}

	async start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
		const server = await startServer({dbPath: this.dbPath, port: 0, log() {}, ...(this.#database ? {dbPoolSize: 4} : {}), ...options});
		this.#servers.push(server);
		return server;
	}

	/** Remembers a reader so cleanup closes it even when the test failed half way. */
	track<T extends SseReader>(reader: T): T {
		this.readers.push(reader);
		return reader;
	}

	async cleanup(): Promise<void> {
		for (const reader of this.readers) {reader.close();}
		await Promise.all(this.#servers.map(async (server) => server.close()));
		rmSync(this.dir, {recursive: true, force: true});
	}
}

/** A store a suite runs on: `describe.each(await storeBackends())('... on $name', (backend) => ...)`. */
export type StoreBackend = {name: string; postgres: boolean; skip: boolean};

/** SQLite, and PostgreSQL (skipped, saying why, when the tests can find none: helpers/test-postgres.ts). */
export async function storeBackends(): Promise<StoreBackend[]> {
	const postgres = await testPostgres();
	return [
		{name: 'SQLite', postgres: false, skip: false},
		{name: pgSuite('PostgreSQL', postgres), postgres: true, skip: 'missing' in postgres},
	];
}

/** Registers a fresh fixture per test (and its cleanup) in the enclosing describe; call the result in a test. */
export function useServerFixture(backend?: StoreBackend): () => ServerFixture {
	let fixture: ServerFixture | undefined;
	const database = useTestDatabase('server', Boolean(backend?.postgres && !backend.skip));
	beforeEach(() => {
		fixture = new ServerFixture(database()?.url);
	});
	afterEach(async () => fixture?.cleanup());
	return () => fixture!;
}
