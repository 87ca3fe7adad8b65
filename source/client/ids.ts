/*
 * Record ids are decimal strings of any length (PROTOCOL.md): compare them as numbers without the
 * precision loss of Number(). Other servers' ids may be anything; those only compare equal or not.
 */
const DECIMAL_PAIR = /^\d+ \d+$/;

function stripZeros(id: string): string {
	return id.length > 1 && id.startsWith('0') ? id.replace(/^0+(?=\d)/, '') : id;
}

/** Negative, zero or positive like a sort comparator; undefined when either id is not decimal. */
export function compareIds(a: string, b: string): number | undefined {
	// One regex run for both: "a b" is all digits but the space exactly when both are decimal.
	if (!DECIMAL_PAIR.test(`${a} ${b}`)) {
		return undefined;
	}

	const x = stripZeros(a);
	const y = stripZeros(b);
	if (x.length !== y.length) {
		return x.length - y.length;
	}

	return x < y ? -1 : x > y ? 1 : 0;
}

/** True when `id` comes after `last`; ids that cannot be ordered count as newer unless they are equal. */
export function isNewer(id: string, last: string | undefined): boolean {
	if (last === undefined) {
		return true;
	}

	const order = compareIds(id, last);
	return order === undefined ? id !== last : order > 0;
}
