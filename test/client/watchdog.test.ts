import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest';
import {Watchdog} from '../../source/client/watchdog.js';

describe('Watchdog', () => {
	beforeEach(() => {
		vi.useFakeTimers();
	});
	afterEach(() => {
		vi.useRealTimers();
	});

	it('declares a silent connection dead after deadMs, and bytes put that off', () => {
		const dead: number[] = [];
		const watchdog = new Watchdog(1000, (idle) => dead.push(idle));
		watchdog.start();
		vi.advanceTimersByTime(600);
		watchdog.alive();
		vi.advanceTimersByTime(900);
		expect(dead).toEqual([]);
		vi.advanceTimersByTime(200);
		expect(dead).toEqual([1000]);
	});

	it('does not count time the process was stopped as silence: bytes waiting in the socket come first', () => {
		const dead: number[] = [];
		const watchdog = new Watchdog(1000, (idle) => dead.push(idle));
		watchdog.start();
		// Stopped for 27 s (kill -STOP, Ctrl-Z): the clock moved on and the timer runs 27 s late.
		vi.setSystemTime(Date.now() + 27_000);
		vi.advanceTimersByTime(1000);
		expect(dead).toEqual([]);
		// The bytes that waited in the socket are read now.
		watchdog.alive();
		vi.advanceTimersByTime(900);
		expect(dead).toEqual([]);
		// Still silent a whole interval after them: dead.
		vi.advanceTimersByTime(1100);
		expect(dead).toHaveLength(1);
		watchdog.stop();
	});
});
