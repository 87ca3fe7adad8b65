import {describe, expect, it} from 'vitest';
import {statusSignature, timeSignature} from '../../source/ui/clock-signature.js';
import {FramePacer} from '../../source/ui/frame-pacer.js';
import {memoryWorkspace} from './memory-stream.js';

describe('FramePacer', () => {
	it('allows ~30 frames a second while frames are cheap, and waits three times a costly frame', () => {
		const pacer = new FramePacer();
		expect(pacer.gap()).toBe(33);
		pacer.recordFrame({renderTime: 5});
		expect(pacer.gap()).toBe(33);
		pacer.recordFrame({renderTime: 40});
		expect(pacer.gap()).toBe(120);
		pacer.recordFrame({renderTime: 10});
		expect(pacer.gap()).toBe(33);
	});
});

describe('clock signatures', () => {
	it('changes with the clock only while something on screen reads differently', () => {
		const {workspace, stream} = memoryWorkspace();
		workspace.open('task/a');
		const streams = [stream('task/a')];
		const t0 = Date.parse('2026-11-22T10:00:00Z');
		streams[0]!.log('old line', 'INFO', {timestamp: new Date(t0 - 5 * 60_000 - 10_000).toISOString()});
		workspace.resize({columns: 81, rows: 7});
		// "5m ago" reads the same a second later; at the minute it becomes "6m ago".
		expect(timeSignature(workspace, t0 + 1000)).toBe(timeSignature(workspace, t0));
		expect(timeSignature(workspace, t0 + 50_000)).not.toBe(timeSignature(workspace, t0));
		streams[0]!.log('new line', 'INFO', {timestamp: new Date(t0 - 2000).toISOString()});
		expect(timeSignature(workspace, t0 + 1000)).not.toBe(timeSignature(workspace, t0));
		// A reconnect countdown reads differently each second.
		streams[0]!.state({kind: 'reconnecting', attempt: 2, retryAt: t0 + 5000, lastError: ''});
		expect(statusSignature(workspace, t0 + 1000)).not.toBe(statusSignature(workspace, t0));
		workspace.dispose();
	});
});
