import {describe, expect, it} from 'vitest';
import {createRun, finishRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {collect, type Collected} from './collect.js';

/*
 * A stream follows a run; the last line it has can belong to an older run (`--since` shows earlier runs,
 * and overlapping runs send late lines). A server resuming from that line picks up the line's run, so
 * after a restart the stream must still end with the run it followed, not with the older one.
 */

type Fixture = ReturnType<ReturnType<typeof useServerFixture>>;

/** Stops the server and starts it again on its port and file; resolves once the stream has reconnected. */
async function restart(fixture: Fixture, server: Awaited<ReturnType<Fixture['start']>>, run: Collected) {
	await server.close();
	const again = await fixture.start({port: server.port});
	await run.until(() => run.stream.stats.reconnects === 1, 10_000, 'the reconnect');
	return again;
}

describe('LogStream resuming across a server restart', () => {
	const current = useServerFixture();

	it('ends with the run it followed when its last line came from an older run', async () => {
		const fixture = current();
		const first = await fixture.start();
		const older = await createRun(first.url, undefined, {automationId: 'w'});
		await ingest(first.url, undefined, older, ['older run line']);
		await finishRun(first.url, undefined, older, 'failed');
		const followed = await createRun(first.url, undefined, {automationId: 'w'});

		const run = collect({source: 'automation/w', server: first.url, since: '1h'});
		run.stream.start();
		await run.until(() => run.records.length === 1 && run.stream.state.kind === 'live', 10_000, 'the older line');

		const again = await restart(fixture, first, run);
		await ingest(again.url, undefined, followed, ['followed run line']);
		await finishRun(again.url, undefined, followed, 'succeeded');

		expect(await run.ended(10_000)).toMatchObject({kind: 'completed', runId: followed, result: 'succeeded'});
		expect(run.records.map((record) => record.message)).toEqual(['older run line', 'followed run line']);
	});

	it('after a restart still shows late lines of an older run that overlaps the followed one', async () => {
		const fixture = current();
		const first = await fixture.start();
		const older = await createRun(first.url, undefined, {automationId: 'w'});
		await ingest(first.url, undefined, older, ['older 1']);
		const followed = await createRun(first.url, undefined, {automationId: 'w'});
		const run = collect({source: 'automation/w', server: first.url, since: '1h'});
		run.stream.start();
		await run.until(() => run.records.length === 1 && run.stream.state.kind === 'live', 10_000, 'the older line');
		await ingest(first.url, undefined, older, ['older 2']);
		await run.until(() => run.records.length === 2, 10_000, 'the late line');

		const again = await restart(fixture, first, run);
		await ingest(again.url, undefined, older, ['older 3']);
		await ingest(again.url, undefined, followed, ['followed line']);
		await finishRun(again.url, undefined, followed, 'succeeded');

		expect(await run.ended(10_000)).toMatchObject({kind: 'completed', runId: followed, result: 'succeeded'});
		expect(run.records.map((record) => record.message)).toEqual(['older 1', 'older 2', 'older 3', 'followed line']);
	});

	it('staying for the next run, does not say a run started or ended twice after a restart', async () => {
		const fixture = current();
		const first = await fixture.start();
		const one = await createRun(first.url, undefined, {automationId: 'w'});
		await ingest(first.url, undefined, one, ['one']);
		const run = collect({source: 'automation/w', server: first.url, follow: true});
		const runs: string[] = [];
		run.stream.on('run', (info) => runs.push(`${info.runId} ${info.status}`));
		run.stream.start();
		await run.until(() => run.records.length === 1, 10_000, 'the first line');
		await finishRun(first.url, undefined, one, 'succeeded');
		const two = await createRun(first.url, undefined, {automationId: 'w'});
		await run.until(() => run.notices.some((notice) => notice.kind === 'run-started'), 10_000, 'the second run');

		const again = await restart(fixture, first, run);
		await ingest(again.url, undefined, two, ['two']);
		await run.until(() => run.records.length === 2, 10_000, 'the second line');
		run.stream.close();
		expect(runs).toEqual([`${one} succeeded`, `${two} running`]);
		expect(run.notices.filter((notice) => notice.kind === 'run-started')).toHaveLength(1);
	});
});
