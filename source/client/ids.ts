/*
 * Record ids are decimal strings of any length (docs/protocol.md): compare them as numbers without the
 * precision loss of Number(). Other servers' ids may be anything; those only compare equal or not.
 */
function isDecimal(id: string): boolean {
	// A loop, not a regex: this runs twice per record, and on ids of a few digits the loop costs less.
	if (id.length === 0) {
		return false;
	}

	for (let i = 0; i < id.length; i++) {
		const code = id.charCodeAt(i);
		if (code < 48 || code > 57) {
			return false;
		}
	}

	return true;
}

function stripZeros(id: string): string {
	return id.length > 1 && id.startsWith('0') ? id.replace(/^0+(?=\d)/, '') : id;
}

/** Negative, zero or positive like a sort comparator; undefined when either id is not decimal. */
export function compareIds(a: string, b: string): number | undefined {
	if (!isDecimal(a) || !isDecimal(b)) {
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
