import {afterAll, afterEach, beforeAll, describe, expect, it} from 'vitest';
import {startBalancer, BALANCER_KIND, type Balancer} from '../helpers/balancer.js';
import {startFollow, type FollowProcess} from '../helpers/follow-process.js';
import {createRun} from '../helpers/ingest.js';
import {startServeProcess, type ServeProcess} from '../helpers/serve-process.js';
import {acquirePostgres, createTestDatabase, pgSuite, releasePostgres, testPostgres, type TestDatabase} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';

/*
 * What a user would try: two `dbtail serve` processes on one PostgreSQL database behind a real balancer, a
 * real `dbtail follow` through the balancer, a producer posting through it too, and `kill -9` of the
 * instance the follower is on. The follower reconnects through the balancer to the other instance with
 * Last-Event-ID: every acknowledged line once, in order. The producer's batches that met the dying instance
 * are sent again with the same Idempotency-Key and stored once.
 */

const postgres = await testPostgres();

type Acked = {message: string; firstId: number};

/** Posts a batch through the balancer until it is acknowledged, always with the same key. */
async function post(url: string, runId: string, key: string, messages: string[], refusals: string[]): Promise<Acked[]> {
	let acked: Acked[] | undefined;
	const attempt = async () => {
		try {
			const response = await fetch(`${url}/api/runs/${runId}/logs`, {
				method: 'POST',
				headers: {'content-type': 'application/x-ndjson', 'idempotency-key': key, connection: 'close'},
				body: messages.map((message) => JSON.stringify({level: 'INFO', message})).join('\n'),
			});
			if (response.ok) {
				const {firstId} = (await response.json()) as {firstId: string};
				acked = messages.map((message, index) => ({message, firstId: Number(firstId) + index}));
				return true;
			}

			refusals.push(`${response.status} ${await response.text()}`);
		} catch (error) {
			refusals.push((error as Error).message);
		}

		return false;
	};
	try {
		await until(attempt, `batch ${key} to be acknowledged`, 20_000);
	} catch (error) {
		throw new Error(`${(error as Error).message}: ${refusals.slice(-3).join('; ')}`, {cause: error});
	}

	return acked!;
}

const connections = async (url: string) => {
	try {
		return ((await (await fetch(`${url}/api/stream/status`)).json()) as {connections: number}).connections;
	} catch {
		return 0;
	}
};

describe.skipIf('missing' in postgres)(pgSuite(`failover through ${BALANCER_KIND}`, postgres), () => {
	let database: TestDatabase;
	let instances: ServeProcess[] = [];
	let balancer: Balancer | undefined;
	let follower: FollowProcess | undefined;
	beforeAll(async () => {
		if (!('missing' in postgres)) {database = await createTestDatabase(await acquirePostgres(), 'failover');}
	});
	afterEach(async () => {
		await follower?.stop();
		await balancer?.stop();
		await Promise.all(instances.map(async (instance) => instance.stop('SIGKILL')));
		instances = [];
	});
	afterAll(async () => {
		if (!database) {return;}
		await database.drop();
		await releasePostgres();
	});

	it('kill -9 of the follower\'s instance: it resumes through the balancer on the other, 0 lost, 0 twice, in order', async () => {
		instances = await Promise.all([startServeProcess(database.url, ['--db-pool', '4']), startServeProcess(database.url, ['--db-pool', '4'])]);
		balancer = await startBalancer(instances.map((instance) => instance.port));
		const runId = await createRun(balancer.url, undefined, {automationId: 'nightly'});
		follower = startFollow(balancer.url, 'all', ['--forever']);
		await until(async () => (await connections(instances[0]!.url)) + (await connections(instances[1]!.url)) === 1, 'the follower to connect');
		const victim = (await connections(instances[0]!.url)) === 1 ? instances[0]! : instances[1]!;
		const survivor = victim === instances[0] ? instances[1]! : instances[0]!;

		const acked: Acked[] = [];
		const refusals: string[] = [];
		let batch = 0;
		const produce = async (until: () => boolean) => {
			for (; !until(); batch++) {
				const messages = Array.from({length: 10}, (_, index) => `line ${batch * 10 + index}`);
				acked.push(...(await post(balancer!.url, runId, `batch-${batch}`, messages, refusals)));
			}
		};

		await produce(() => follower!.records().length >= 300);
		// Lines keep coming while the instance dies under the follower (and, now and then, under a POST).
		const during = produce(() => batch >= 120);
		victim.process.kill('SIGKILL');
		await during;
		await until(() => follower!.records().length >= acked.length, `${acked.length} lines through the balancer`, 30_000);

		const received = follower.records();
		expect(received.map((record) => record.message)).toEqual(acked.map((entry) => entry.message));
		expect(received.map((record) => Number(record.id))).toEqual(acked.map((entry) => entry.firstId));
		expect(new Set(received.map((record) => record.id)).size).toBe(received.length);
		expect(received.map((record) => record.seq)).toEqual(received.map((_, index) => index + 1));
		// It really moved: the survivor serves it now, the victim is gone.
		expect(await connections(survivor.url)).toBe(1);
		expect(victim.process.signalCode).toBe('SIGKILL');
		console.log(`failover: ${acked.length} lines, ${refusals.length} refused or cut posts sent again: ${refusals.slice(0, 3).join('; ')}`);
	});
});
