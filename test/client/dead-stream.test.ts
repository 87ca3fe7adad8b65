import {afterEach, describe, expect, it} from 'vitest';
import {FreezableProxy} from '../helpers/freezable-proxy.js';
import {createRun, ingest} from '../helpers/ingest.js';
import {useServerFixture} from '../server/server-fixture.js';
import {collect, type Collected} from './collect.js';

/*
 * A dbtail stream whose server stops answering (a hung VM, a stuck middlebox: here a real server behind a
 * proxy that is frozen) is said dead within about 10 s, not the 37.5 s its default 15 s heartbeat allows:
 * the client asks for a 4 s heartbeat and the server's own setting stays at its default.
 */

let proxy: FreezableProxy | undefined;
let run: Collected | undefined;
afterEach(async () => {
	run?.stream.close();
	run = undefined;
	await proxy?.close();
	proxy = undefined;
});

describe('a dbtail stream that goes silent', () => {
	const current = useServerFixture();

	it('is said dead within about 10 s of its last byte, on a server left at its 15 s default', async () => {
		const server = await current().start();
		const runId = await createRun(server.url, undefined, {automationId: 'quiet'});
		await ingest(server.url, undefined, runId, ['one']);
		proxy = await FreezableProxy.start({host: '127.0.0.1', port: server.port});
		run = collect({source: 'automation/quiet', server: `http://127.0.0.1:${proxy.port}`, follow: true});
		run.stream.start();
		const live = run;
		await live.until(() => live.records.length === 1 && live.stream.state.kind === 'live', 10_000, 'the line, live');

		proxy.freeze();
		const frozenAt = performance.now();
		await live.until(() => live.states.some((state) => state.kind === 'reconnecting'), 30_000, 'the dead connection said');
		const took = performance.now() - frozenAt;
		const dead = live.states.find((state) => state.kind === 'reconnecting');
		// Silence counts from the last byte, a heartbeat up to 4 s before the freeze: 10 s after it at most.
		expect(dead).toMatchObject({lastError: expect.stringMatching(/^no data for (10|11|12)s: connection presumed dead$/)});
		expect(took).toBeGreaterThanOrEqual(5500);
		expect(took).toBeLessThan(16_000);
	});
});
