import {describe, expect, it} from 'vitest';
import {Backoff} from '../../source/client/backoff.js';

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
