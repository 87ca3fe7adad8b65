import type {LogStore} from './log-store.js';
import {isPostgresUrl} from './postgres/pg-url.js';
import type {Durability} from './sqlite/schema.js';
import {SqliteStore} from './sqlite/sqlite-store.js';

export type StoreOptions = {
	/** SQLite only: `full` also fsyncs each commit. */
	durability?: Durability;
	/** PostgreSQL only: connections this instance keeps for requests (default 10), besides its one listener. */
	poolSize?: number;
	/** PostgreSQL only: the fallback poll of the committed feed (default 250 ms). */
	pollMs?: number;
	/** Where the store says that it lost, or got back, its database. */
	log: (line: string) => void;
};

/**
 * A `postgres://` or `postgresql://` URL is a PostgreSQL database that any number of instances may share;
 * anything else is an SQLite file that this process alone holds. PostgreSQL's code is loaded only then.
 */
export async function openStore(target: string, options: StoreOptions): Promise<LogStore> {
	if (isPostgresUrl(target)) {
		const {PgStore} = await import('./postgres/pg-store.js');
		return PgStore.open(target, options);
	}

	return new SqliteStore(target, options.durability);
}
