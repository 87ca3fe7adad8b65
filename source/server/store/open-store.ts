import type {LogStore} from './log-store.js';
import {isPostgresUrl} from './postgres/pg-url.js';
import {SqliteStore} from './sqlite/sqlite-store.js';
import type {StoreOptions} from './types.js';

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
