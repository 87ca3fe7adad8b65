import pg from 'pg';
import {isConnectionError, storeErrorOf} from './pg-errors.js';
import {describePostgresUrl, redactSecrets} from './pg-url.js';

export type PgPoolOptions = {
	url: string;
	size: number;
	log: (line: string) => void;
};

/** Applied to every connection: a query that hangs on a dead network must not hold a request forever. */
const CONNECT_TIMEOUT_MS = 5000;

/**
 * Deadlines of every statement (with the database frozen behind a proxy, requests hung 62 s). The server
 * cancels a statement that runs past STATEMENT_TIMEOUT_MS (a lock wait, a slow plan) and keeps the
 * connection; when the database does not answer at all, the driver gives up at QUERY_TIMEOUT_MS and the
 * connection is dropped. Either is a 503 with Retry-After. A `postgres://` URL may set its own
 * (`?statement_timeout=…&query_timeout=…`, in ms): the driver lets the URL's parameters win.
 */
export const STATEMENT_TIMEOUT_MS = 10_000;
export const QUERY_TIMEOUT_MS = 15_000;

/** TCP keepalive probes start after this much silence, so a peer that vanished is noticed on idle connections. */
const KEEPALIVE_IDLE_MS = 10_000;

/**
 * The pool of connections for requests, and the instance's view of whether the database is there. A lost
 * connection is said once, when it goes, and once when it is back; in between requests get 503 (the store's
 * StoreUnreachable) and the pool makes new connections on demand, so nothing needs restarting.
 */
export class PgPool {
	readonly pool: pg.Pool;
	readonly url: string;
	#reachable = true;
	#lastError = '';
	readonly #log: (line: string) => void;

	constructor(options: PgPoolOptions) {
		this.url = options.url;
		this.#log = options.log;
		this.pool = new pg.Pool({
			connectionString: options.url,
			max: options.size,
			connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
			idleTimeoutMillis: 30_000,
			application_name: 'dbtail',
			keepAlive: true,
			keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
			statement_timeout: STATEMENT_TIMEOUT_MS,
			query_timeout: QUERY_TIMEOUT_MS,
		});
		// An idle connection the server closed (a restart, pg_terminate_backend): the pool drops it; say so.
		this.pool.on('error', (error) => this.failed(error));
	}

	get reachable(): boolean {
		return this.#reachable;
	}

	get lastError(): string {
		return this.#lastError;
	}

	/** One statement on any connection, its errors in the store's terms. */
	async query<R extends pg.QueryResultRow = pg.QueryResultRow>(config: pg.QueryConfig): Promise<pg.QueryResult<R>> {
		return this.#tracked(async () => this.pool.query<R>(config));
	}

	/** Rows as arrays (no object per row): history pages are most of what a catching-up client costs. */
	async rows<T extends unknown[]>(name: string, text: string, values: unknown[]): Promise<T[]> {
		const result = await this.#tracked(async () => this.pool.query<T>({name, text, values, rowMode: 'array'}));
		return result.rows;
	}

	async #tracked<T>(work: () => Promise<T>): Promise<T> {
		try {
			const result = await work();
			this.succeeded();
			return result;
		} catch (error) {
			this.failed(error);
			throw storeErrorOf(error, this.url);
		}
	}

	/** A connection of its own for a transaction; released whatever happens. */
	async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
		let client: pg.PoolClient;
		try {
			client = await this.pool.connect();
		} catch (error) {
			this.failed(error);
			throw storeErrorOf(error, this.url);
		}

		let failure: Error | undefined;
		try {
			await client.query('BEGIN');
			const result = await work(client);
			await client.query('COMMIT');
			this.succeeded();
			return result;
		} catch (error) {
			failure = error as Error;
			await client.query('ROLLBACK').catch(() => {});
			this.failed(error);
			throw storeErrorOf(error, this.url);
		} finally {
			// Released with its error, the connection is dropped, not reused: after a query timeout it may still be mid-statement.
			client.release(failure);
		}
	}

	succeeded(): void {
		if (this.#reachable) {return;}
		this.#reachable = true;
		this.#log(`the database ${describePostgresUrl(this.url)} answers again`);
	}

	failed(error: unknown): void {
		if (!isConnectionError(error)) {return;}
		this.#lastError = redactSecrets((error as Error).message, this.url);
		if (!this.#reachable) {return;}
		this.#reachable = false;
		this.#log(`lost the database ${describePostgresUrl(this.url)} (${this.#lastError}); retrying, open streams stay open`);
	}

	async close(): Promise<void> {
		await this.pool.end();
	}
}
