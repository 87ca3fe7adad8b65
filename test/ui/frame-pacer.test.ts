import {describe, expect, it} from 'vitest';
import {FramePacer} from '../../source/ui/frame-pacer.js';

describe('FramePacer', () => {
	it('allows ~30 frames a second while frames are cheap, and waits twice a costly frame', () => {
		const pacer = new FramePacer();
		expect(pacer.gap()).toBe(33);
		pacer.recordFrame({renderTime: 5});
		expect(pacer.gap()).toBe(33);
		pacer.recordFrame({renderTime: 40});
		expect(pacer.gap()).toBe(80);
		pacer.recordFrame({renderTime: 10});
		expect(pacer.gap()).toBe(33);
	});
});
