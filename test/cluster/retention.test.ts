import pg from 'pg';
import {describe, expect, it} from 'vitest';
import type {WireEvent} from '../../source/protocol/events.js';
import {useCluster} from '../helpers/cluster-fixture.js';
import {finishRun, ingest} from '../helpers/ingest.js';
import {pgSuite, testPostgres} from '../helpers/test-postgres.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * --retain on every instance of a database: one prunes at a time (an advisory lock; an instance that finds
 * it taken skips its turn), and `truncated` stays right whichever instance wrote, pruned or serves.
 */

const postgres = await testPostgres();
const RETENTION_LOCK = '1684108385, 3';

const truncatedOf = (events: WireEvent[]) => events.filter((event) => event.type === 'status' && event.status === 'truncated');
const lines = (count: number, label: string) => Array.from({length: count}, (_, index) => `${label} ${index}`);
const count = async (query: (sql: string) => Promise<pg.QueryResult>) => ((await query('SELECT count(*)::int AS n FROM dbtail.logs')).rows[0] as {n: number}).n;

describe.skipIf('missing' in postgres)(pgSuite('retention across instances', postgres), () => {
	const cluster = useCluster(postgres, 'retention');

	it('prunes on one instance at a time, and a stream on another is told only of its own lost lines', async () => {
		const fixture = cluster();
		const a = await fixture.start({retain: 10});
		const b = await fixture.start({retain: 10});
		const query = async (sql: string) => fixture.query(sql);

		// While another holds the retention lock, an instance skips its turn: nothing is deleted.
		const holder = new pg.Client({connectionString: fixture.url});
		await holder.connect();
		try {
			await holder.query(`SELECT pg_advisory_lock(${RETENTION_LOCK})`);
			const flood = (await ingest(a.url, undefined, {automationId: 'flood'}, lines(30, 'flood'))).runId;
			expect(await count(query)).toBe(30);
			await holder.query(`SELECT pg_advisory_unlock(${RETENTION_LOCK})`);
			await ingest(b.url, undefined, flood, ['one more']);
			expect(await count(query)).toBe(10);
			await finishRun(b.url, undefined, flood);
		} finally {
			await holder.end();
		}

		// `a` logs on A, the flood on B purges what `a` had, `a` logs once more on B.
		const run = (await ingest(a.url, undefined, {automationId: 'a'}, lines(5, 'a'))).runId;
		await ingest(b.url, undefined, {automationId: 'b'}, lines(30, 'b'));
		await ingest(b.url, undefined, run, ['last']);
		await finishRun(a.url, undefined, run);
		const top = Number(((await (await fetch(`${b.url}/api/logs?limit=1`)).json()) as {logs: Array<{id: string}>}).logs[0]!.id);

		for (const instance of [a, b]) {
			const before = fixture.track(await SseReader.open(`${instance.url}/api/automations/a/logs?stream=true&follow=false&since=0`));
			await before.waitFor(() => before.ended, 'the replay to end');
			expect(truncatedOf(before.events)).toEqual([{type: 'status', status: 'truncated', oldestId: String(top), purged: 5}]);
			expect(before.logs.map((record) => record.message)).toEqual(['last']);
			const other = fixture.track(await SseReader.open(`${instance.url}/api/automations/b/logs?stream=true&follow=false`));
			await other.waitFor(() => other.logs.length > 0, "b's lines");
			expect(truncatedOf(other.events)).toEqual([{type: 'status', status: 'truncated', oldestId: expect.any(String) as string, purged: 21}]);
		}
	});
});
