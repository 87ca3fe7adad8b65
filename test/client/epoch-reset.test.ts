import {rmSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {collect} from './collect.js';

/*
 * A server whose SQLite file was deleted starts over with a new epoch, new ids and new run ids: its first
 * run is `r-1` again. A client that followed `r-1` of the old store must show the new `r-1` whole.
 */

const lines = (prefix: string, from: number, to: number) =>
	Array.from({length: to - from + 1}, (_, index) => `${prefix} ${from + index}`);

describe('LogStream when the server\'s store is recreated', () => {
	const current = useServerFixture();

	it('shows every line of the new store\'s run r-1 after the old r-1, and says the store was reset', async () => {
		const fixture = current();
		const old = await fixture.start();
		const {port} = old;
		await ingest(old.url, undefined, {automationId: 'nightly-etl'}, lines('old', 1, 5));
		const run = collect({source: 'automation/nightly-etl', server: old.url});
		run.stream.start();
		await run.until(() => run.records.length === 5, 10_000, 'the old run');

		await old.close();
		for (const suffix of ['', '-wal', '-shm']) {
			rmSync(`${fixture.dbPath}${suffix}`, {force: true});
		}

		// The new store has its run before the server listens on the old port: the client, reconnecting all
		// the while, must find the automation (an unknown one is a 404 that ends the stream).
		const prepare = await fixture.start();
		const runId = await createRun(prepare.url, undefined, {automationId: 'nightly-etl'});
		expect(runId).toBe('r-1');
		await ingest(prepare.url, undefined, runId, lines('new', 1, 3));
		await prepare.close();

		const fresh = await fixture.start({port});
		expect(fresh.epoch).not.toBe(old.epoch);
		await run.until(() => run.notices.some((notice) => notice.kind === 'epoch-reset'), 10_000, 'the epoch reset');
		await ingest(fresh.url, undefined, runId, lines('new', 4, 8));
		await finishRun(fresh.url, undefined, runId);

		expect(await run.ended(10_000)).toMatchObject({kind: 'completed', runId: 'r-1', result: 'succeeded'});
		run.stream.close();
		expect(run.records.map((record) => record.message)).toEqual([...lines('old', 1, 5), ...lines('new', 1, 8)]);
		expect(run.notices.map((notice) => notice.message)).not.toContainEqual(expect.stringContaining('no event ids'));
	});
});
