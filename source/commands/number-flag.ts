import {UsageError} from '../errors.js';

/*
 * Numeric flags are parsed as strings and read here, so a mistake is answered with what the user typed
 * ("--port must be ..., not "80a"") rather than with the NaN a number-typed flag turns it into.
 */

export type NumberRule = {
	/** Smallest value allowed (default 0). */
	min?: number;
	/** True when `min` itself is not allowed ("above 0"). */
	aboveMin?: boolean;
	max?: number;
	whole?: boolean;
	/** What is counted, for the message: "lines", "seconds". */
	unit?: string;
};

const WHOLE = /^\d+$/;
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** "a whole number from 0 to 65535", "a number of seconds from 1 to 60", "a whole number above 0". */
export function describeRule({min = 0, aboveMin = false, max, whole = false, unit}: NumberRule): string {
	const kind = `${whole ? 'a whole number' : 'a number'}${unit ? ` of ${unit}` : ''}`;
	if (aboveMin) {
		return `${kind} above ${min}${max === undefined ? '' : `, at most ${max}`}`;
	}

	if (max !== undefined) {
		return `${kind} from ${min} to ${max}`;
	}

	return min === 0 ? kind : `${kind} of at least ${min}`;
}

/** The flag's value as a number, or undefined when it was not given; a UsageError quoting the text otherwise. */
export function numberFlag(flag: string, typed: string | undefined, rule: NumberRule = {}): number | undefined {
	if (typed === undefined) {
		return undefined;
	}

	const {min = 0, aboveMin = false, max, whole = false} = rule;
	const value = (whole ? WHOLE : DECIMAL).test(typed) ? Number(typed) : Number.NaN;
	if (!Number.isFinite(value) || (whole && !Number.isSafeInteger(value)) || value < min || (aboveMin && value === min) || (max !== undefined && value > max)) {
		throw new UsageError(`--${flag} must be ${describeRule(rule)}, not "${typed}"`);
	}

	return value;
}
