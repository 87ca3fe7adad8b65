import {describe, expect, it} from 'vitest';
import type {Frame} from '../../source/server/sse/log-frames.js';
import {joinHeartbeat} from '../../source/server/sse/heartbeats.js';
import {until} from '../helpers/until.js';

/* Heartbeats are one timer per interval for every session on it, one comment frame per beat for all of them. */

describe('shared heartbeats', () => {
	it('beat every member of an interval with the same frame, each interval on its own, and stop when the last leaves', async () => {
		const heard = new Map<string, Frame[]>();
		const member = (name: string) => {
			heard.set(name, []);
			return {beat: (frame: Frame) => heard.get(name)!.push(frame)};
		};

		const leaveA = joinHeartbeat(20, member('a'));
		const leaveB = joinHeartbeat(20, member('b'));
		const leaveSlow = joinHeartbeat(60_000, member('slow'));
		await until(() => heard.get('a')!.length >= 2 && heard.get('b')!.length >= 2, 'two beats each');
		const [a, b] = [heard.get('a')!, heard.get('b')!];
		// One frame per beat, shared: the same object, made for every member once.
		expect(b.slice(0, 2)).toEqual(a.slice(0, 2));
		expect(b[0]).toBe(a[0]);
		expect(a[0]!.text).toMatch(/^: keepalive \d{4}-\d\d-\d\dT[\d:.]+Z\n\n$/);
		expect(a[0]!.bytes).toBe(Buffer.byteLength(a[0]!.text));
		expect(heard.get('slow')).toEqual([]);

		leaveA();
		const afterA = a.length;
		await until(() => b.length >= afterA + 2, 'b beats on alone');
		expect(a).toHaveLength(afterA);

		leaveB();
		leaveSlow();
		// A member that comes back after the timer stopped gets a new one.
		const leaveC = joinHeartbeat(20, member('c'));
		await until(() => heard.get('c')!.length >= 1, 'a beat after rejoining');
		leaveC();
	});
});
