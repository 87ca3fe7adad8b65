import {describe, expect, it} from 'vitest';
import {count, counted} from '../../source/model/count-text.js';

describe('count', () => {
	it('writes an integer as en-US number formatting does, without loading it', () => {
		const values = [0, 1, 7, 12, 123, 999, 1000, 1234, 9999, 12_345, 123_456, 1_234_567, 20_000, 100_000, 4_294_967_296,
			Number.MAX_SAFE_INTEGER, -1, -999, -1000, -1234, -1_234_567];
		for (const value of values) {
			expect(count(value), String(value)).toBe(value.toLocaleString('en-US'));
		}
	});

	it('rounds what is not an integer, and writes what is not finite as JavaScript does', () => {
		expect(count(1234.5)).toBe('1,235');
		expect(count(0.4)).toBe('0');
		expect(count(-0)).toBe('0');
		expect(count(Number.NaN)).toBe('NaN');
		expect(count(Number.POSITIVE_INFINITY)).toBe('Infinity');
		expect(count(1e21)).toBe('1e+21');
	});

	it('names the noun in the singular for one only', () => {
		expect(counted(1, 'line')).toBe('1 line');
		expect(counted(0, 'line')).toBe('0 lines');
		expect(counted(12_000, 'entry', 'entries')).toBe('12,000 entries');
	});
});
