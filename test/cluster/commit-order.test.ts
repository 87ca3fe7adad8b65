import pg from 'pg';
import {describe, expect, it} from 'vitest';
import {useCluster} from '../helpers/cluster-fixture.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {pgSuite, testPostgres} from '../helpers/test-postgres.js';
import {until} from '../helpers/until.js';
import {SseReader} from '../server/sse-reader.js';

/*
 * Ids in commit order, proved where a sequence would fail: an ingest transaction through instance A is held
 * open after it drew its id, while another batch arrives through instance B. With a sequence, B would take
 * the next id, commit first, and a follower would get B's line before A's; a client resumed after B's id
 * would never get A's. With the commit lock (pg-schema.ts) B waits for A, and the follower gets them in id
 * order.
 *
 * How A is held: the test's own transaction inserts, uncommitted, the `children` row that A's batch (a
 * task's first line) must insert too. A's statement then waits on that row, inside its transaction, holding
 * the commit lock and the ids it drew. Nothing of the server is mocked.
 */

const postgres = await testPostgres();

async function waiting(query: (sql: string) => Promise<pg.QueryResult>, what: 'row' | 'advisory'): Promise<boolean> {
	const sql =
		what === 'row'
			? "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%append_logs%'"
			: "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())";
	return ((await query(sql)).rows[0] as {n: number}).n > 0;
}

describe.skipIf('missing' in postgres)(pgSuite('ids in commit order across instances', postgres), () => {
	const cluster = useCluster(postgres, 'commit_order');

	it('makes a batch through B wait while one through A is open, and a follower gets them in id order', async () => {
		const fixture = cluster();
		const a = await fixture.start();
		const b = await fixture.start();
		const held = await createRun(a.url, undefined, {automationId: 'held'});
		const other = await createRun(b.url, undefined, {automationId: 'other'});
		const follower = fixture.track(await SseReader.open(`${b.url}/api/logs/stream?initial=0`));
		await follower.waitFor(() => follower.events.some((event) => event.type === 'status' && event.status === 'connected'), 'connected');

		const blocker = new pg.Client({connectionString: fixture.url});
		await blocker.connect();
		const query = async (sql: string) => blocker.query(sql);
		try {
			await blocker.query('BEGIN');
			await blocker.query("INSERT INTO dbtail.children (kind, entity_id, child_id, first_id) VALUES ('automation', 'held', 'extract', 0)");
			const observer = new pg.Client({connectionString: fixture.url});
			await observer.connect();
			const look = async (sql: string) => observer.query(sql);
			try {
				let firstDone = false;
				let secondDone = false;
				const first = ingest(a.url, undefined, held, [{level: 'INFO', message: 'first, held open', taskId: 'extract'}]).finally(() => (firstDone = true));
				await until(async () => waiting(look, 'row'), "A's ingest to wait inside its transaction");
				const second = ingest(b.url, undefined, other, ['second, through B']).finally(() => (secondDone = true));
				await until(async () => waiting(look, 'advisory'), "B's ingest to wait for the commit lock");

				// Both are in flight; neither has committed, and B cannot commit before A.
				expect([firstDone, secondDone]).toEqual([false, false]);
				expect(((await look('SELECT count(*)::int AS n FROM dbtail.logs')).rows[0] as {n: number}).n).toBe(0);
				expect(follower.logs).toEqual([]);

				await query('ROLLBACK');
				const [firstResult, secondResult] = await Promise.all([first, second]);
				expect([firstResult.firstId, secondResult.firstId]).toEqual(['1', '2']);
				await follower.waitFor(() => follower.logs.length === 2, 'both lines');
				expect(follower.logs.map((record) => [record.id, record.message])).toEqual([
					['1', 'first, held open'],
					['2', 'second, through B'],
				]);

				// A client resumed after B's id on A misses nothing: there is nothing with a smaller id to come.
				const resumed = fixture.track(await SseReader.open(`${a.url}/api/logs/stream`, {lastEventId: '1'}));
				await resumed.waitFor(() => resumed.logs.length === 1, 'the replay after 1');
				expect(resumed.logs.map((record) => record.id)).toEqual(['2']);
			} finally {
				await observer.end();
			}
		} finally {
			await blocker.end();
		}
	});
});
