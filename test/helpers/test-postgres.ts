import {randomBytes} from 'node:crypto';
import process from 'node:process';
import pg from 'pg';
import {afterAll, beforeAll, beforeEach} from 'vitest';
import {EmbeddedPostgres} from './embedded-postgres.js';

/*
 * Where the tests find a PostgreSQL, in this order:
 *  1. DBTAIL_TEST_DATABASE_URL, when set (a URL whose user may CREATE DATABASE). If it does not answer the
 *     tests fail: a configured database that is away is a broken setup, not a reason to skip.
 *  2. The server of this project's machines on 127.0.0.1:5432 (trust auth, user postgres), when it answers.
 *  3. A throwaway server from embedded-postgres's binaries (embedded-postgres.ts), started for the test
 *     file and removed after it; as root it runs as `nobody`.
 * DBTAIL_TEST_POSTGRES=embedded skips 1 and 2, to try what a fresh machine does. Only when none of these can
 * be had are the PostgreSQL tests skipped, with the reason in their names and printed. Each test file gets
 * a database of its own, dropped after it.
 */

export type TestPostgres = {source: string; adminUrl: string; embedded?: EmbeddedPostgres};

const LOCAL = 'postgres://postgres@127.0.0.1:5432/postgres';

async function answers(url: string): Promise<string | undefined> {
	const client = new pg.Client({connectionString: url, connectionTimeoutMillis: 3000});
	client.on('error', () => {});
	try {
		await client.connect();
		await client.query('SELECT 1');
		return undefined;
	} catch (error) {
		return (error as Error).message;
	} finally {
		await client.end().catch(() => {});
	}
}

async function find(): Promise<TestPostgres | {missing: string}> {
	const configured = process.env.DBTAIL_TEST_DATABASE_URL;
	const embeddedOnly = process.env.DBTAIL_TEST_POSTGRES === 'embedded';
	if (configured && !embeddedOnly) {
		const failure = await answers(configured);
		if (failure) {throw new Error(`DBTAIL_TEST_DATABASE_URL is set but its database does not answer: ${failure}`);}
		return {source: 'DBTAIL_TEST_DATABASE_URL', adminUrl: configured};
	}

	if (!embeddedOnly && (await answers(LOCAL)) === undefined) {return {source: 'PostgreSQL on 127.0.0.1:5432', adminUrl: LOCAL};}
	try {
		const embedded = await EmbeddedPostgres.create();
		return {source: `a throwaway PostgreSQL (embedded-postgres) on port ${embedded.port}`, adminUrl: embedded.url, embedded};
	} catch (error) {
		const tried = embeddedOnly ? 'DBTAIL_TEST_POSTGRES=embedded' : 'none on 127.0.0.1:5432, DBTAIL_TEST_DATABASE_URL unset';
		return {missing: `no PostgreSQL: ${tried}, and embedded-postgres could not start one (${(error as Error).message.split('\n')[0]})`};
	}
}

let found: Promise<TestPostgres | {missing: string}> | undefined;

/** The PostgreSQL of this test file (found once per file), or why there is none. */
export async function testPostgres(): Promise<TestPostgres | {missing: string}> {
	found ??= find();
	return found;
}

let users = 0;

/**
 * Takes the test PostgreSQL for a suite (beforeAll) and gives it back (afterAll): a throwaway server is
 * removed once no suite of the file uses it (vitest ends its workers without an exit hook to rely on), and
 * made again, on the same port, for a later suite of the same file.
 */
export async function acquirePostgres(): Promise<TestPostgres> {
	const postgres = await testPostgres();
	if ('missing' in postgres) {throw new Error(postgres.missing);}
	users++;
	if (postgres.embedded && !postgres.embedded.running) {await postgres.embedded.start();}
	return postgres;
}

export async function releasePostgres(): Promise<void> {
	const postgres = await testPostgres();
	users--;
	if (users === 0 && !('missing' in postgres) && postgres.embedded) {await postgres.embedded.destroy();}
}

/** A describe name that says where PostgreSQL came from, or why its tests are skipped (also printed). */
export function pgSuite(name: string, postgres: TestPostgres | {missing: string}): string {
	if ('missing' in postgres) {
		console.warn(`${name}: skipped: ${postgres.missing}`);
		return `${name} (skipped: ${postgres.missing})`;
	}

	return `${name} (${postgres.source})`;
}

export type TestDatabase = {name: string; url: string; drop(): Promise<void>};

/** A fresh database on the test PostgreSQL; `drop` removes it, ending any connection still on it. */
export async function createTestDatabase(postgres: TestPostgres, label: string): Promise<TestDatabase> {
	const name = `dbtail_test_${label.replaceAll(/\W/g, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
	await adminQuery(postgres, `CREATE DATABASE ${name}`);
	const url = new URL(postgres.adminUrl);
	url.pathname = `/${name}`;
	return {
		name,
		url: url.toString(),
		async drop() {
			await adminQuery(postgres, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
		},
	};
}

export async function adminQuery(postgres: TestPostgres, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
	return databaseQuery(postgres.adminUrl, sql, values);
}

/** Runs `sql` on a database (not the admin one): for tests that look at, or hold, what the store holds. */
export async function databaseQuery(url: string, sql: string, values: unknown[] = []): Promise<pg.QueryResult> {
	const client = new pg.Client({connectionString: url});
	client.on('error', () => {});
	await client.connect();
	try {
		return await client.query(sql, values);
	} finally {
		await client.end();
	}
}

/**
 * A database of the enclosing describe's own, for its whole run, with the dbtail schema dropped before each
 * test (so every test starts empty); `enabled: false` registers nothing. Call the result in a hook or test.
 */
export function useTestDatabase(label: string, enabled: boolean): () => TestDatabase | undefined {
	let database: TestDatabase | undefined;
	if (enabled) {
		beforeAll(async () => {
			database = await createTestDatabase(await acquirePostgres(), label);
		});
		afterAll(async () => {
			if (!database) {return;}
			await database.drop();
			await releasePostgres();
		});
		beforeEach(async () => {
			if (database) {await databaseQuery(database.url, 'DROP SCHEMA IF EXISTS dbtail CASCADE');}
		});
	}

	return () => database;
}
