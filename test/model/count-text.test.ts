import {describe, expect, it} from 'vitest';
import {count, counted} from '../../source/model/count-text.js';

describe('count', () => {
	it('writes what en-US number formatting writes, without loading it', () => {
		const values = [0, 1, 7, 12, 123, 999, 1000, 1234, 9999, 12_345, 123_456, 1_234_567, 20_000, 100_000, 4_294_967_296,
			Number.MAX_SAFE_INTEGER, -1, -999, -1000, -1234, -1_234_567, 0.5, 1234.5, 1234.5678, -1234.5678, 0.0004, 99.9996, 2.25];
		for (const value of values) {
			expect(count(value), String(value)).toBe(value.toLocaleString('en-US'));
		}
	});

	it('names the noun in the singular for one only', () => {
		expect(counted(1, 'line')).toBe('1 line');
		expect(counted(0, 'line')).toBe('0 lines');
		expect(counted(12_000, 'entry', 'entries')).toBe('12,000 entries');
	});
});
