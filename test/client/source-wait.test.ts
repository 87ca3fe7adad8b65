import {afterEach, describe, expect, it} from 'vitest';
import type {ConnectionState} from '../../source/client/types.js';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {collect} from './collect.js';

/*
 * "Watch tonight's job before it starts": a source the server has not seen yet (a 404 for its entity) is
 * waited for and then streamed from its first line, against a real dbtail server. Any other 404 stays final.
 */

const fast = {minDelayMs: 1, maxDelayMs: 20, waitDelayMs: 50};
const isWaiting = (state: ConnectionState | undefined) => state?.kind === 'waiting';

describe('a source that does not exist yet', () => {
	const fixture = useServerFixture();

	it.each(['automation/tonight', 'task/load'])('%s: a stream that stays waits for it, asking again and again', async (source) => {
		const server = await fixture().start();
		const run = collect({source, server: server.url, follow: true, tail: 1, reconnect: fast});
		run.stream.start();
		await run.until(() => run.states.filter(isWaiting).length >= 2, 10_000, 'two asks while waiting');
		expect(run.states.find(isWaiting)).toMatchObject({
			kind: 'waiting',
			source,
			reason: expect.stringMatching(/^HTTP 404 Not Found: no (automation|task) "(tonight|load)"$/),
		});
		expect(run.stream.stats.reconnects).toBe(0);
	});

	it('streams the source from its first line once it appears, whatever --tail said', async () => {
		const server = await fixture().start();
		// Asks far apart, so the run is all there when the next one is made (reconnectNow cuts the wait).
		const run = collect({source: 'automation/tonight', server: server.url, follow: true, tail: 1, reconnect: {...fast, waitDelayMs: 600_000}});
		run.stream.start();
		await run.until(() => isWaiting(run.stream.state), 10_000, 'the wait');
		const runId = await createRun(server.url, undefined, {automationId: 'tonight'});
		await ingest(server.url, undefined, runId, ['first', 'second', 'third']);
		expect(run.stream.reconnectNow()).toBe(true);
		await run.until(() => run.records.length === 3, 10_000, 'the three lines');
		expect(run.records.map((record) => record.message)).toEqual(['first', 'second', 'third']);
		expect(run.stream.state.kind).toBe('live');
		run.stream.close();
	});

	it('fails at once on a 404 when told not to wait (dbtail follow without --wait)', async () => {
		const server = await fixture().start();
		const run = collect({source: 'automation/tonight', server: server.url, follow: false, reconnect: fast});
		run.stream.start();
		expect(await run.ended()).toMatchObject({kind: 'failed', reason: 'HTTP 404 Not Found: no automation "tonight"'});
		expect(run.states.some(isWaiting)).toBe(false);
	});

	it.each([
		['a run that does not exist', 'automation/nightly?run=r-99', ''],
		['a wrong base path', 'automation/tonight', '/wrong'],
	])('stays final for %s, even where a stream would wait', async (_what, source, path) => {
		const server = await fixture().start();
		await ingest(server.url, undefined, {automationId: 'nightly'}, ['one']);
		const run = collect({source, server: `${server.url}${path}`, follow: true, reconnect: fast});
		run.stream.start();
		expect(await run.ended()).toMatchObject({kind: 'failed', reason: expect.stringContaining('HTTP 404')});
		expect(run.states.some(isWaiting)).toBe(false);
	});
});

describe('a 404 from a server that does not answer as dbtail', () => {
	let server: HostileServer | undefined;
	afterEach(async () => {
		await server?.close();
		server = undefined;
	});

	it('is final: only a dbtail server\'s 404 says "not there yet"', async () => {
		const notFound = {status: 404, body: JSON.stringify({error: {code: 'not-found', message: 'no automation "nightly-etl"'}})};
		server = await startHostileServer({records: 1, healthz: false, answer: () => notFound});
		const run = collect({source: 'automation/nightly-etl', server: server.url, follow: true, reconnect: fast});
		run.stream.start();
		expect(await run.ended()).toMatchObject({kind: 'failed', reason: expect.stringContaining('HTTP 404')});
		expect(server.requests).toHaveLength(1);
	});
});
