import {describe, expect, it} from 'vitest';
import {Backoff, INTERACTIVE_RECONNECT} from '../../source/client/backoff.js';
import {RetryPacer} from '../../source/client/retry-pacer.js';

describe('Backoff', () => {
	it('doubles its ceiling from 0.5 s up to 30 s, with full jitter inside it', () => {
		const top = new Backoff({random: () => 1});
		expect(Array.from({length: 9}, () => top.next())).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
		const bottom = new Backoff({random: () => 0});
		expect(Array.from({length: 5}, () => bottom.next())).toEqual([500, 500, 500, 500, 500]);
		const middle = new Backoff({random: () => 0.5});
		middle.next();
		expect(middle.next()).toBe(750);
	});

	it('is never faster than the server\'s retry: or a Retry-After', () => {
		const backoff = new Backoff({random: () => 0});
		backoff.setServerRetry(5000);
		expect(backoff.next()).toBe(5000);
		expect(backoff.next(12_000)).toBe(12_000);
	});

	it('starts over after 30 s of healthy connection, not after a short one', () => {
		const backoff = new Backoff({random: () => 1});
		backoff.next();
		backoff.next();
		backoff.next();
		backoff.connectionEnded({openedAt: 1000, delivered: false}, 20_000);
		expect(backoff.next()).toBe(4000);
		backoff.connectionEnded({openedAt: 1000, delivered: false}, 31_000);
		expect(backoff.attempt).toBe(0);
		expect(backoff.next()).toBe(500);
	});

	it('does not escalate after a connection that delivered lines, however short: the server\'s retry applies', () => {
		const backoff = new Backoff({random: () => 1});
		backoff.setServerRetry(120);
		for (let cut = 0; cut < 20; cut++) {
			backoff.connectionEnded({openedAt: 1000, delivered: true}, 3000);
			expect(backoff.next()).toBe(120);
			expect(backoff.attempt).toBe(1);
		}

		// Without a retry: from the server, the shortest delay.
		const plain = new Backoff({random: () => 1});
		plain.connectionEnded({openedAt: 1000, delivered: true}, 2000);
		expect(plain.next()).toBe(500);
		// A failure after that escalates again from the start, and a 200 that brought nothing is a failure.
		expect(plain.next()).toBe(1000);
		plain.connectionEnded({openedAt: 1000, delivered: false}, 2000);
		expect(plain.next()).toBe(2000);
		plain.connectionEnded({delivered: false}, 2000);
		expect(plain.next()).toBe(4000);
	});
});

describe('the viewer\'s reconnect delays', () => {
	it('never wait more than 2.5 s, however many attempts failed, so a pane is back about 3 s after its server', () => {
		const top = new Backoff({minMs: INTERACTIVE_RECONNECT.minDelayMs, maxMs: INTERACTIVE_RECONNECT.maxDelayMs, random: () => 1});
		const delays = Array.from({length: 20}, () => top.next());
		expect(Math.max(...delays)).toBe(2500);
		// The reference server's retry: 2000 is still the floor.
		top.setServerRetry(2000);
		expect(top.next()).toBe(2500);
		const bottom = new Backoff({minMs: INTERACTIVE_RECONNECT.minDelayMs, maxMs: INTERACTIVE_RECONNECT.maxDelayMs, random: () => 0});
		bottom.setServerRetry(2000);
		expect(bottom.next()).toBe(2000);
	});
});

describe('RetryPacer', () => {
	const failure = {error: 'connect ECONNREFUSED 127.0.0.1:1', next: 'backoff'} as const;
	const never = {delivered: false};

	it('gives up once the time without reaching the server is over, making its last attempt at the deadline', () => {
		const pacer = new RetryPacer({minDelayMs: 500, maxDelayMs: 30_000, giveUpAfterMs: 10_000});
		pacer.reached(0);
		expect(pacer.plan(failure, never, 'automation/x', 1000)).toMatchObject({delayMs: expect.any(Number), state: {kind: 'reconnecting', attempt: 1}});
		// Four seconds left: no backoff past them.
		const late = pacer.plan(failure, never, 'automation/x', 6000);
		expect('delayMs' in late && late.delayMs).toBeLessThanOrEqual(4000);
		expect(pacer.plan(failure, never, 'automation/x', 10_000)).toEqual({
			final: {kind: 'failed', reason: 'no connection for 10s, giving up (connect ECONNREFUSED 127.0.0.1:1)'},
		});
	});

	it('gives up rather than retry sooner than the server asked', () => {
		const pacer = new RetryPacer({giveUpAfterMs: 10_000});
		pacer.reached(0);
		expect(pacer.plan({...failure, retryAfterMs: 30_000}, never, 'automation/x', 1000)).toMatchObject({final: {kind: 'failed'}});
	});

	it('counts from the last answer: a connection, or a 404 for a source that is not there yet', () => {
		const pacer = new RetryPacer({giveUpAfterMs: 10_000});
		pacer.reached(0);
		const wait = pacer.plan({error: 'HTTP 404 Not Found', next: 'wait'}, never, 'automation/x', 9000);
		expect(wait).toEqual({delayMs: 3000, state: {kind: 'waiting', source: 'automation/x', retryAt: 12_000, reason: 'HTTP 404 Not Found'}});
		expect(pacer.plan(failure, never, 'automation/x', 15_000)).toMatchObject({state: {kind: 'reconnecting'}});
		expect(pacer.plan(failure, {openedAt: 16_000, delivered: true}, 'automation/x', 30_000)).toMatchObject({state: {kind: 'reconnecting'}});
		expect(pacer.plan(failure, never, 'automation/x', 40_001)).toMatchObject({final: {kind: 'failed'}});
	});

	it('never gives up without a give-up time (the viewer)', () => {
		const pacer = new RetryPacer();
		pacer.reached(0);
		expect(pacer.plan(failure, never, 'automation/x', 86_400_000)).toMatchObject({state: {kind: 'reconnecting'}});
	});
});
