import {afterEach} from 'vitest';
import {startServer, type RunningServer, type ServerOptions} from '../../source/server/index.js';
import type {SseReader} from '../server/sse-reader.js';
import {databaseQuery, useTestDatabase, type TestPostgres} from './test-postgres.js';

/*
 * Several real `dbtail serve` instances (startServer, each on its own port, with its own pool, LISTEN
 * connection and feed) on one PostgreSQL database of the test file's own. Every test starts on an empty
 * schema; cleanup closes readers and instances even when the test failed half way.
 */

export type ClusterFixture = {
	readonly url: string;
	/** One more instance on the database. */
	start(options?: Partial<ServerOptions>): Promise<RunningServer>;
	track<T extends SseReader>(reader: T): T;
	/** A statement on the test database, as the tests look at (or hold) what the store holds. */
	query(sql: string, values?: unknown[]): ReturnType<typeof databaseQuery>;
};

export function useCluster(postgres: TestPostgres | {missing: string}, label: string): () => ClusterFixture {
	const database = useTestDatabase(label, !('missing' in postgres));
	let servers: RunningServer[] = [];
	let readers: SseReader[] = [];
	const fixture: ClusterFixture = {
		get url() {
			return database()!.url;
		},
		async start(options = {}) {
			const server = await startServer({dbPath: database()!.url, port: 0, log() {}, dbPoolSize: 4, ...options});
			servers.push(server);
			return server;
		},
		track(reader) {
			readers.push(reader);
			return reader;
		},
		async query(sql, values) {
			return databaseQuery(database()!.url, sql, values);
		},
	};

	afterEach(async () => {
		for (const reader of readers) {reader.close();}
		await Promise.all(servers.map(async (server) => server.close()));
		servers = [];
		readers = [];
	});
	return () => fixture;
}
