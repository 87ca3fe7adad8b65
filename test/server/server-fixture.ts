import {afterEach, beforeEach} from 'vitest';
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {startServer, type RunningServer, type ServerOptions} from '../../source/server/index.js';
import type {SseReader} from './sse-reader.js';

/** A real server on port 0 over a real SQLite file in a fresh temp dir; `cleanup` closes and deletes all. */
export class ServerFixture {
	readonly dir = mkdtempSync(path.join(tmpdir(), 'dbtail-server-test-'));
	readonly readers: SseReader[] = [];
	readonly #servers: RunningServer[] = [];

	get dbPath(): string {
		return path.join(this.dir, 'logs.db');
	}

	async start(options: Partial<ServerOptions> = {}): Promise<RunningServer> {
		const server = await startServer({dbPath: this.dbPath, port: 0, log() {}, ...options});
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

/** Registers a fresh fixture per test (and its cleanup) in the enclosing describe; call the result in a test. */
export function useServerFixture(): () => ServerFixture {
	let fixture: ServerFixture | undefined;
	beforeEach(() => {
		fixture = new ServerFixture();
	});
	afterEach(async () => fixture?.cleanup());
	return () => fixture!;
}
