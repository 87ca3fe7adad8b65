import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {isExactIsoTime} from '../../source/model/timestamps.js';

/** The iso time column prints a canonical time as it is: only when parsing and printing it again gives it back. */
function roundTrips(text: string): boolean {
	const time = Date.parse(text);
	return !Number.isNaN(time) && new Date(time).toISOString() === text;
}

const two = (value: number) => String(value).padStart(2, '0');

describe('isExactIsoTime', () => {
	it('agrees with Date.parse and toISOString on times with any day, hour, minute and second', () => {
		fc.assert(
			fc.property(
				fc.integer({min: 0, max: 9999}),
				fc.integer({min: 0, max: 13}),
				fc.integer({min: 0, max: 32}),
				fc.integer({min: 0, max: 25}),
				fc.integer({min: 0, max: 61}),
				fc.integer({min: 0, max: 61}),
				fc.integer({min: 0, max: 999}),
				(year, month, day, hours, minutes, seconds, ms) => {
					const text = `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${String(ms).padStart(3, '0')}Z`;
					expect(isExactIsoTime(text)).toBe(roundTrips(text));
				},
			),
			{numRuns: 20_000},
		);
	});

	it('refuses what is not the canonical form', () => {
		for (const text of ['2026-02-28T10:00:00Z', '2026-02-28 10:00:00.000Z', '2026-02-28T10:00:00.000+01:00', '2026-2-28T10:00:00.000Z', '+02026-02-28T10:00:00.00Z', '2026-02-28T10:00:00.0a0Z']) {
			expect(isExactIsoTime(text)).toBe(false);
		}

		for (const text of ['2024-02-29T23:59:59.999Z', '2000-02-29T00:00:00.000Z', '2026-12-31T00:00:00.000Z']) {
			expect(isExactIsoTime(text)).toBe(true);
		}

		for (const text of ['1900-02-29T00:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z']) {
			expect(isExactIsoTime(text)).toBe(false);
		}
	});
});
