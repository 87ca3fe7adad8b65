import type Database from 'better-sqlite3';
import {StoreFull} from '../errors.js';

/** The open SQLite file with its prepared statements (prepared once, reused) and the writes' transaction. */
export class SqliteDb {
	readonly #db: Database.Database;
	readonly #statements = new Map<string, Database.Statement>();

	constructor(db: Database.Database) {
		this.#db = db;
	}

	stmt(sql: string): Database.Statement {
		let statement = this.#statements.get(sql);
		if (!statement) {
			statement = this.#db.prepare(sql);
			this.#statements.set(sql, statement);
		}

		return statement;
	}

	meta(key: string): string | undefined {
		return (this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as {value: string} | undefined)?.value;
	}

	/**
	 * One write transaction. A full disk is the operator's to fix, not a fault of ours: it becomes StoreFull
	 * (SQLite has rolled the transaction back, so nothing of it is stored) and the next write may succeed.
	 */
	write<T>(work: () => T): T {
		try {
			return this.#db.transaction(work)();
		} catch (error) {
			if ((error as {code?: string}).code === 'SQLITE_FULL') {
				throw new StoreFull('the disk under the store is full: nothing of this write was stored; free space on the server and send it again');
			}

			throw error;
		}
	}

	close(): void {
		this.#db.close();
	}
}
