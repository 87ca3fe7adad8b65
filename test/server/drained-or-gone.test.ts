import {EventEmitter} from 'node:events';
import type {ServerResponse} from 'node:http';
import {describe, expect, it} from 'vitest';
import {drainedOrGone} from '../../source/server/http/http-util.js';

describe('drainedOrGone: waiting for a slow socket between pieces of an answer', () => {
	it('leaves no listener behind, however many pieces wait (Promise.race of events.once kept a pair per piece)', async () => {
		const res = new EventEmitter();
		for (let piece = 0; piece < 50; piece++) {
			const waited = drainedOrGone(res as unknown as ServerResponse);
			res.emit('drain');
			await waited;
		}

		expect([res.listenerCount('drain'), res.listenerCount('close'), res.listenerCount('error')]).toEqual([0, 0, 0]);
	});

	it('also ends the wait when the socket goes', async () => {
		const res = new EventEmitter();
		const waited = drainedOrGone(res as unknown as ServerResponse);
		res.emit('close');
		await waited;
		expect(res.listenerCount('drain')).toBe(0);
	});
});
