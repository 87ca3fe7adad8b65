import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {startServer, type RunningServer} from '../../source/server/index.js';
import {EmbeddedPostgres} from '../helpers/embedded-postgres.js';
import {createRun} from '../helpers/ingest.js';
import {createTestDatabase, type TestDatabase} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * The database restarted under running instances. This test always restarts a PostgreSQL of its own (from
 * embedded-postgres, as nobody when run as root): restarting the machine's server would pull it from under
 * every other test. The instances are not restarted: they say the database went, answer 503 meanwhile,
 * keep their streams open, and recover by themselves; a producer that retries with an Idempotency-Key
 * stores every batch once.
 */

let server: EmbeddedPostgres | undefined;
let missing: string | undefined;
try {
	server = await EmbeddedPostgres.create();
} catch (error) {
	missing = `no throwaway PostgreSQL could be started: ${(error as Error).message.split('\n')[0]}`;
	console.warn(`database restart: skipped: ${missing}`);
}

type Acked = {message: string; id: string};

/** Posts one batch with a key until it is stored (retrying 503s and lost connections), as a careful producer does. */
async function postUntilStored(url: string, runId: string, key: string, message: string, log: string[]): Promise<Acked> {
	let acked: Acked | undefined;
	const attempt = async () => {
		try {
			const response = await fetch(`${url}/api/runs/${runId}/logs`, {
				method: 'POST',
				headers: {'content-type': 'application/json', 'idempotency-key': key},
				body: JSON.stringify([{level: 'INFO', message}]),
			});
			if (response.ok) {
				acked = {message, id: ((await response.json()) as {firstId: string}).firstId};
				return true;
			}

			log.push(`${response.status}`);
		} catch (error) {
			log.push((error as Error).message);
		}

		return false;
	};
	try {
		await until(attempt, `batch ${key} to be stored`, 20_000);
	} catch (error) {
		throw new Error(`${(error as Error).message}: ${log.slice(-3).join('; ')}`, {cause: error});
	}

	return acked!;
}

const health = async (url: string) => (await fetch(`${url}/healthz`)).status;

describe.skipIf(!server)(missing ? `the database restarted under running instances (skipped: ${missing})` : 'the database restarted under running instances', () => {
	let database: TestDatabase;
	const instances: RunningServer[] = [];
	const said: string[] = [];
	beforeAll(async () => {
		database = await createTestDatabase({source: 'embedded', adminUrl: server!.url}, 'restart');
	});
	afterAll(async () => {
		await Promise.all(instances.map(async (instance) => instance.close()));
		await server?.destroy();
	});

	it('answers 503 while it is down, keeps streams open, and delivers every acknowledged batch once it is back', async () => {
		for (let index = 0; index < 2; index++) {
			instances.push(await startServer({dbPath: database.url, port: 0, dbPoolSize: 4, log: (line) => said.push(line)}));
		}

		const [a, b] = instances as [RunningServer, RunningServer];
		const runId = await createRun(b.url, undefined, {automationId: 'etl'});
		const follower = await SseReader.open(`${a.url}/api/logs/stream?initial=0`);
		await follower.waitFor(() => follower.events.length > 0, 'connected');
		const acked: Acked[] = [];
		const failures: string[] = [];
		for (let index = 0; index < 20; index++) {acked.push(await postUntilStored(b.url, runId, `k${index}`, `before ${index}`, failures));}

		await server!.stop();
		expect([await health(a.url), await health(b.url)]).toEqual([503, 503]);
		const refused = await fetch(`${b.url}/api/runs/${runId}/logs`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '[{"level":"INFO","message":"x"}]'});
		expect(refused.status).toBe(503);
		expect(refused.headers.get('retry-after')).toBe('2');
		expect(((await refused.json()) as {error: {message: string}}).error.message).toMatch(/^the database postgres:\/\/postgres@127\.0\.0\.1:\d+\/\S+ is unreachable/);
		// Batches sent while it is down are retried by the producer until they are stored.
		const during = Promise.all(Array.from({length: 5}, async (_, index) => postUntilStored(b.url, runId, `d${index}`, `during ${index}`, failures)));
		await until(() => failures.length >= 5, 'the producer to be refused while the database is down');
		await server!.start();
		acked.push(...(await during));
		for (let index = 0; index < 20; index++) {acked.push(await postUntilStored(b.url, runId, `a${index}`, `after ${index}`, failures));}

		await until(async () => (await health(a.url)) === 200 && (await health(b.url)) === 200, 'both instances to be healthy again');
		await follower.waitFor(() => follower.logs.length === acked.length, `${acked.length} lines`);
		const ids = follower.logs.map((record) => Number(record.id));
		expect(ids).toEqual([...ids].sort((x, y) => x - y));
		expect(new Set(follower.logs.map((record) => record.message))).toEqual(new Set(acked.map((entry) => entry.message)));
		expect(follower.logs.map((record) => record.id).sort()).toEqual(acked.map((entry) => entry.id).sort());
		// The stream was never cut: one connection, never a reconnect.
		expect(follower.ended).toBe(false);
		expect(follower.events.filter((event) => event.type === 'status' && event.status === 'connected')).toHaveLength(1);
		expect(said.some((line) => /^lost the database postgres:\/\/postgres@127\.0\.0\.1:\d+\/\S+ \(.*\); retrying/.test(line))).toBe(true);
		expect(said.some((line) => / answers again$/.test(line))).toBe(true);
		follower.close();
	});
});
