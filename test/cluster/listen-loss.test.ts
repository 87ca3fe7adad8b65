import {describe, expect, it} from 'vitest';
import {PgFeed} from '../../source/server/store/postgres/pg-feed.js';
import {PgPool} from '../../source/server/store/postgres/pg-pool.js';
import type {FeedEvent} from '../../source/server/store/types.js';
import {useCluster} from '../helpers/cluster-fixture.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {pgSuite, testPostgres} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * NOTIFY is a wake-up, never the transport: when the LISTEN connection is killed under load nothing is lost
 * (the listener reconnects by itself and catches up), and a reader that hears no notification at all still
 * delivers everything, in order, by its fallback poll.
 */

const postgres = await testPostgres();

const metric = async (url: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${url}/metrics`)).text())?.[1]);

describe.skipIf('missing' in postgres)(pgSuite('the LISTEN connection lost under load', postgres), () => {
	const cluster = useCluster(postgres, 'listen_loss');

	it('loses nothing when every LISTEN connection is terminated while lines flow', async () => {
		const fixture = cluster();
		const a = await fixture.start();
		const b = await fixture.start();
		const runId = await createRun(b.url, undefined, {automationId: 'load'});
		const follower = fixture.track(await SseReader.open(`${a.url}/api/logs/stream?initial=0`));
		await follower.waitFor(() => follower.events.length > 0, 'connected');

		let sent = 0;
		let producing = true;
		const producer = (async () => {
			for (let batch = 0; producing || batch < 20; batch++) {
				await ingest(b.url, undefined, runId, Array.from({length: 5}, (_, index) => `line ${batch * 5 + index}`));
				sent += 5;
			}
		})();
		const listening = async () => (await metric(a.url, 'dbtail_feed_listening')) === 1 && (await metric(b.url, 'dbtail_feed_listening')) === 1;
		for (let round = 0; round < 2; round++) {
			await until(async () => sent >= 50 * (round + 1), 'lines to flow');
			const {rows} = await fixture.query(
				"SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'dbtail-listen'",
			);
			expect(rows.filter((row) => (row as {killed: boolean}).killed)).toHaveLength(2);
			// Both listeners come back by themselves, while the lines go on.
			await until(listening, 'both instances to listen again');
		}

		producing = false;
		await producer;
		await follower.waitFor(() => follower.logs.length === sent, `${sent} lines`);
		expect(follower.logs.map((record) => record.message)).toEqual(Array.from({length: sent}, (_, index) => `line ${index}`));
	});

	it('delivers every commit in order by the fallback poll alone when no notification ever comes', async () => {
		const fixture = cluster();
		const writer = await fixture.start();
		// A reader with no LISTEN connection at all: every notification is, to it, lost.
		const pool = new PgPool({url: fixture.url, size: 2, log() {}});
		const feed = new PgFeed(pool, {log: 0, event: 0}, 50, () => {});
		const events: FeedEvent[] = [];
		feed.subscribe((event) => events.push(event));
		try {
			const runId = await createRun(writer.url, undefined, {automationId: 'quiet'});
			for (let batch = 0; batch < 10; batch++) {await ingest(writer.url, undefined, runId, [`a${batch}`, `b${batch}`]);}
			await fetch(`${writer.url}/api/runs/${runId}/finish`, {method: 'POST', headers: {'content-type': 'application/json'}, body: '{"result":"succeeded"}'});
			await until(() => events.at(-1)?.type === 'completed', 'the run to complete on the quiet reader');
			expect(events[0]).toMatchObject({type: 'run-started', run: {runId}});
			const messages = events.flatMap((event) => (event.type === 'logs' ? event.records.map((record) => record.message) : []));
			expect(messages).toEqual(Array.from({length: 10}, (_, batch) => [`a${batch}`, `b${batch}`]).flat());
			expect(feed.stats.notifications).toBe(0);
			expect(feed.stats.pollCatchUps).toBeGreaterThan(0);
			expect(feed.stats.lagRecords).toBe(0);
		} finally {
			await feed.close();
			await pool.close();
		}
	});
});
