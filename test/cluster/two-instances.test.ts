import {describe, expect, it} from 'vitest';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import {useCluster} from '../helpers/cluster-fixture.js';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {pgSuite, testPostgres} from '../helpers/test-postgres.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * Two (and more) instances on one PostgreSQL database: any instance serves any stream, a line ingested
 * through one reaches the clients of the other, and what the contract promises (run ids, gapless seqs, ids
 * in order, one epoch, tokens) holds whichever instance a request lands on.
 */

const postgres = await testPostgres();

const statuses = (reader: SseReader) =>
	reader.events.flatMap((event) => (event.type === 'status' && event.status !== 'connected' ? [`${event.status} ${'runId' in event ? event.runId : ''}`] : []));

function expectWholeRunsInIdOrder(records: StoredLogRecord[]): void {
	const ids = records.map((record) => Number(record.id));
	expect(ids).toEqual([...ids].sort((x, y) => x - y));
	expect(new Set(ids).size).toBe(ids.length);
	const seqs = new Map<string, number[]>();
	for (const record of records) {seqs.set(record.runId, [...(seqs.get(record.runId) ?? []), record.seq]);}
	for (const [runId, list] of seqs) {expect(list, runId).toEqual(list.map((_, index) => index + 1));}
}

describe.skipIf('missing' in postgres)(pgSuite('two instances on one database', postgres), () => {
	const cluster = useCluster(postgres, 'two_instances');

	it('start together on an empty database, share one epoch, and serve each other\'s runs', async () => {
		const fixture = cluster();
		const instances = await Promise.all([fixture.start(), fixture.start(), fixture.start()]);
		expect(new Set(instances.map((instance) => instance.epoch)).size).toBe(1);
		const [a, b] = instances;
		const runId = await createRun(b!.url, undefined, {automationId: 'etl'});
		expect(await (await fetch(`${a!.url}/api/runs/${runId}`)).json()).toMatchObject({runId, status: 'running', automationId: 'etl'});
		expect(await (await fetch(`${a!.url}/healthz`)).json()).toEqual({ok: true, epoch: a!.epoch, store: 'postgres', reachable: true});
	});

	it('delivers to a follower on A what is ingested on B, with its run events, in order', async () => {
		const fixture = cluster();
		const a = await fixture.start();
		const b = await fixture.start();
		const first = await createRun(b.url, undefined, {automationId: 'etl'});
		const follower = fixture.track(await SseReader.open(`${a.url}/api/automations/etl/logs?stream=true`));
		await follower.waitFor(() => follower.events.length > 0, 'connected');
		await ingest(b.url, undefined, first, ['one', 'two']);
		await ingest(a.url, undefined, first, ['three']);
		await finishRun(b.url, undefined, first, 'failed');
		const second = (await ingest(b.url, undefined, {automationId: 'etl'}, ['four'])).runId;
		await follower.waitFor(() => follower.logs.length === 4, 'four lines');
		expect(follower.logs.map((record) => [record.runId, record.seq, record.message])).toEqual([
			[first, 1, 'one'],
			[first, 2, 'two'],
			[first, 3, 'three'],
			[second, 1, 'four'],
		]);
		expect(statuses(follower)).toEqual([`completed ${first}`, `run-started ${second}`]);

		// Each instance counts its own streams; the metrics say how the feed heard of the commits.
		const status = async (url: string) => ((await (await fetch(`${url}/api/stream/status`)).json()) as {connections: number}).connections;
		expect([await status(a.url), await status(b.url)]).toEqual([1, 0]);
		const metrics = await (await fetch(`${a.url}/metrics`)).text();
		expect(Number(/^dbtail_feed_notifications_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThan(0);
		expect(metrics).toMatch(/^dbtail_feed_listening 1$/m);
		expect(metrics).toMatch(/^dbtail_feed_lag_records 0$/m);
	});

	it('gives two producers writing at once through two instances whole runs, ids strictly increasing, unique run ids', async () => {
		const fixture = cluster();
		const a = await fixture.start();
		const b = await fixture.start();
		const onA = fixture.track(await SseReader.open(`${a.url}/api/logs/stream?initial=0`));
		const onB = fixture.track(await SseReader.open(`${b.url}/api/logs/stream?initial=0`));
		await onA.waitFor(() => onA.events.length > 0, 'connected');
		await onB.waitFor(() => onB.events.length > 0, 'connected');

		// Runs made at once through both: no two get the same id.
		const runs = await Promise.all(Array.from({length: 10}, async (_, index) => createRun(index % 2 ? a.url : b.url, undefined, {automationId: `p${index % 2}`})));
		expect(new Set(runs).size).toBe(10);
		const [left, right] = [runs[0]!, runs[1]!];
		const produce = async (url: string, runId: string, name: string) => {
			for (let batch = 0; batch < 40; batch++) {
				await ingest(url, undefined, runId, Array.from({length: 1 + (batch % 7)}, (_, index) => `${name} ${batch}.${index}`));
			}
		};

		// Both through both instances at once, and a third writer sharing the left run: its seqs stay gapless.
		await Promise.all([produce(a.url, left, 'left'), produce(b.url, right, 'right'), produce(b.url, left, 'shared')]);
		const total = 3 * Array.from({length: 40}, (_, batch) => 1 + (batch % 7)).reduce((sum, count) => sum + count, 0);
		for (const reader of [onA, onB]) {
			await reader.waitFor(() => reader.logs.length === total, `${total} lines`);
			expectWholeRunsInIdOrder(reader.logs);
			expect(reader.logs.map((record) => record.id)).toEqual(Array.from({length: total}, (_, index) => String(index + 1)));
		}
	});

	it('accepts on every instance a short-lived token minted by one', async () => {
		const fixture = cluster();
		const tokens = [{token: 'reader', permissions: ['read' as const]}, {token: 'writer', permissions: ['write' as const]}];
		const a = await fixture.start({tokens});
		const b = await fixture.start({tokens});
		await createRun(a.url, 'writer', {automationId: 'etl'});
		const minted = (await (await fetch(`${a.url}/api/tokens`, {method: 'POST', headers: {authorization: 'Bearer reader'}})).json()) as {token: string};
		const stream = await SseReader.open(`${b.url}/api/automations/etl/logs?stream=true&token=${minted.token}`);
		fixture.track(stream);
		expect(stream.status).toBe(200);
		const altered = `${minted.token.slice(0, -2)}xx`;
		const refused = await fetch(`${b.url}/api/catalog`, {headers: {authorization: `Bearer ${altered}`}});
		expect(refused.status).toBe(401);
		expect(((await refused.json()) as {error: {message: string}}).error.message).toBe('the short-lived token is not valid: get a new one from POST /api/tokens');
	});
});
