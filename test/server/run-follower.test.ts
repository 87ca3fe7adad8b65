import {describe, expect, it} from 'vitest';
import type {Run} from '../../source/protocol/record.js';
import {RunFollower} from '../../source/server/sse/run-follower.js';

const run = (runId: string, status: Run['status'] = 'running'): Run => ({
	runId,
	status,
	startedAt: '2026-11-22T10:00:00.000Z',
	...(status === 'running' ? {} : {finishedAt: '2026-11-22T10:00:02.500Z'}),
});

function follower(current: string | undefined, mode: 'entity' | 'pinned' | 'none', follow: boolean, runs: Run[]) {
	const byId = new Map(runs.map((entry) => [entry.runId, entry]));
	return new RunFollower(current, mode, follow, (runId) => byId.get(runId));
}

describe('RunFollower', () => {
	it('moves an entity stream to a newer run, completing the old one first, and lets late lines of older runs through', () => {
		const runs = follower('r-2', 'entity', true, [run('r-1', 'succeeded'), run('r-2', 'failed'), run('r-3')]);
		expect(runs.beforeRecord('r-2')).toEqual({events: [], end: false, send: true});
		expect(runs.beforeRecord('r-3')).toEqual({
			events: [
				{type: 'status', status: 'completed', runId: 'r-2', result: 'failed', durationMs: 2500},
				{type: 'status', status: 'run-started', runId: 'r-3'},
			],
			end: false,
			send: true,
		});
		expect(runs.runId).toBe('r-3');
		expect(runs.beforeRecord('r-1')).toEqual({events: [], end: false, send: true});
		expect(runs.runStarted(run('r-3')).events).toEqual([]);
		expect(runs.runCompleted(run('r-2', 'failed'), 1).events).toEqual([]);
	});

	it('with follow=false stays on its run, ends when it completes, and says completed once', () => {
		const runs = follower('r-1', 'entity', false, [run('r-1'), run('r-2')]);
		expect(runs.beforeRecord('r-2')).toEqual({events: [], end: false, send: false});
		expect(runs.runStarted(run('r-2'))).toEqual({events: [], end: false});
		expect(runs.runCompleted(run('r-1', 'cancelled'), 42)).toEqual({
			events: [{type: 'status', status: 'completed', runId: 'r-1', result: 'cancelled', durationMs: 42}],
			end: true,
		});
		expect(runs.runCompleted(run('r-1', 'cancelled'), 42).events).toEqual([]);
	});

	it('after history settles the followed run and catches up to the newest, finished or not', () => {
		const runs = follower('r-1', 'entity', true, [run('r-1', 'succeeded'), run('r-2', 'succeeded')]);
		expect(runs.settle(run('r-2', 'succeeded')).events.map((event) => `${event.status} ${'runId' in event ? event.runId : ''}`)).toEqual([
			'completed r-1',
			'run-started r-2',
			'completed r-2',
		]);
		const stopping = follower('r-1', 'entity', false, [run('r-1', 'succeeded'), run('r-2')]);
		expect(stopping.settle(run('r-2'))).toMatchObject({events: [{status: 'completed', runId: 'r-1'}], end: true});
	});

	it('sends no run events on the all stream and none but its own on a pinned one', () => {
		const all = follower(undefined, 'none', true, [run('r-1', 'succeeded')]);
		expect(all.beforeRecord('r-1')).toEqual({events: [], end: false, send: true});
		expect(all.runStarted(run('r-2'))).toEqual({events: [], end: false});
		expect(all.runCompleted(run('r-1', 'succeeded'), 1)).toEqual({events: [], end: false});
		const pinned = follower('r-1', 'pinned', true, [run('r-1')]);
		expect(pinned.runStarted(run('r-2')).events).toEqual([]);
		expect(pinned.runCompleted(run('r-1', 'succeeded'), 5).events).toHaveLength(1);
	});
});
