import {RunFinished, RunNotFound, StoreFull, StoreUnavailable, StoreUnreachable} from '../errors.js';
import {describePostgresUrl, redactSecrets} from './pg-url.js';

/*
 * PostgreSQL's errors in the store's own terms (store/errors.ts): the only place that knows a SQLSTATE.
 * The write functions (pg-schema.ts) raise DBT04 for an unknown run and DBT09 for a finished one.
 */

type PgError = Error & {code?: string; errno?: number};

/** Connection trouble: the request may be sent again once the database is back. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

export function isConnectionError(error: unknown): boolean {
	const {code, message} = (error ?? {}) as PgError;
	if (code && (CONNECTION_CODES.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300'].includes(code))) {return true;}
	// "Query read timeout": the driver's query_timeout, the database gave no answer at all (pg-pool.ts).
	return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(
		message ?? '',
	);
}

/** The store's error for a driver's; anything not known here is returned as it is (a fault: a 500 and a log line). */
export function storeErrorOf(error: unknown, url: string): unknown {
	const pg = error as PgError;
	switch (pg?.code) {
		case 'DBT04': {
			return new RunNotFound(pg.message);
		}

		case 'DBT09': {
			return new RunFinished(pg.message);
		}

		// query_canceled: the statement ran past statement_timeout (pg-pool.ts); the database is there but too slow now.
		case '57014': {
			return new StoreUnreachable(`the database ${describePostgresUrl(url)} did not finish in time (${redactSecrets(pg.message, url)}): retry shortly`);
		}

		case '53100': {
			return new StoreFull('the disk under the database is full: nothing of this write was stored; free space on the database server and send it again');
		}

		default: {
			break;
		}
	}

	if (isConnectionError(error)) {
		return new StoreUnreachable(`the database ${describePostgresUrl(url)} is unreachable (${redactSecrets(pg.message, url)}): retry shortly`);
	}

	return error;
}

/** Why the database cannot be used at start, as one line for the user (never the password). */
export function openErrorOf(error: unknown, url: string): Error {
	const pg = error as PgError;
	const where = describePostgresUrl(url);
	const reason = redactSecrets(pg?.message ?? String(error), url);
	if (isConnectionError(error)) {return new StoreUnavailable(`cannot reach the database ${where}: ${reason}`);}
	// 28xxx: authentication; 3D000: no such database; 42501: no privilege (CREATE SCHEMA, say).
	if (pg?.code && (pg.code.startsWith('28') || ['3D000', '42501'].includes(pg.code))) {
		return new StoreUnavailable(`cannot use the database ${where}: ${reason}`);
	}

	return pg instanceof Error ? pg : new Error(String(error));
}
