import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import type {StreamParams} from '../../source/server/params.js';
import {resolveServedStream} from '../../source/server/served-stream.js';
import {replayStart} from '../../source/server/sse/replay-start.js';
import type {LogStore} from '../../source/server/store/log-store.js';
import {openStore} from '../../source/server/store/open-store.js';

/*
 * Where a stream starts, against a real store. A stream that asked for no history (`initial=0`) starts after
 * the newest record already stored: on PostgreSQL the feed may still hand those records over after the
 * session subscribed, and they are history, not live.
 */
describe('replayStart', () => {
	let dir = '';
	let store: LogStore;
	beforeEach(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'dbtail-replay-start-'));
		store = await openStore(path.join(dir, 'logs.db'), {log() {}});
	});
	afterEach(async () => {
		await store.close();
		rmSync(dir, {recursive: true, force: true});
	});

	const params = (extra: Partial<StreamParams>): StreamParams => ({follow: true, heartbeatMs: 15_000, ...extra});
	const line = (message: string) => ({level: 'INFO' as const, message, timestamp: '2026-11-22T10:00:00.000Z'});

	it('with initial=0 starts after every record stored so far, with no history to replay', async () => {
		const run = (await store.createRun('automation', 'etl', undefined)).value;
		await store.appendLogs(run.runId, [line('a'), line('b'), line('c')]);
		const entity = await resolveServedStream(store, 'automation', 'etl');
		expect(await replayStart(store, entity, params({initial: 0}))).toEqual({after: 3});
		expect(await replayStart(store, await resolveServedStream(store, 'all', undefined), params({initial: 0}))).toEqual({after: 3});
		expect(await replayStart(store, entity, params({initial: 2}))).toEqual({scope: {kind: 'automation', id: 'etl', runId: run.runId}, after: 1});
	});
});
