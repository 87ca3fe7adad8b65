import {describe, expect, it} from 'vitest';
import {numberFlag} from '../../source/commands/number-flag.js';

describe('numberFlag', () => {
	it('reads a value inside the rule, and nothing when the flag was not given', () => {
		expect(numberFlag('port', undefined, {whole: true})).toBeUndefined();
		expect(numberFlag('port', '0', {whole: true, max: 65_535})).toBe(0);
		expect(numberFlag('port', '65535', {whole: true, max: 65_535})).toBe(65_535);
		expect(numberFlag('rate', '0.5', {aboveMin: true})).toBe(0.5);
		expect(numberFlag('rate', '.5', {aboveMin: true})).toBe(0.5);
		expect(numberFlag('heartbeat', '60', {min: 1, max: 60})).toBe(60);
	});

	it.each([
		['', {whole: true}],
		[' 5', {whole: true}],
		['0x10', {whole: true}],
		['1e3', {whole: true}],
		['5.0', {whole: true}],
		['-1', {whole: true}],
		['99999999999999999999', {whole: true}],
		['Infinity', {}],
		['1e3', {}],
		['0', {aboveMin: true}],
		['65536', {whole: true, max: 65_535}],
		['0.9', {min: 1, max: 60}],
	])('refuses "%s" for %j, quoting it', (typed, rule) => {
		expect(() => numberFlag('n', typed, rule)).toThrow(`--n must be `);
		expect(() => numberFlag('n', typed, rule)).toThrow(`, not "${typed}"`);
	});
});
