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

// What node:http refuses in a header value (its own check): C0 controls but tab, and DEL.
const NOT_IN_A_HEADER = /[^\t\u0020-\u007E\u0080-\u00FF]/;

/**
 * The Last-Event-ID header for an id, as browsers send it: its UTF-8 bytes (`id: café` goes out as
 * `caf\xC3\xA9`). node:http writes a header value's code units as bytes, so the bytes are given as
 * Latin-1 text. Undefined when no header can carry the id (a control character in it).
 */
export function lastEventIdHeader(id: string): string | undefined {
	const bytes = Buffer.from(id, 'utf8').toString('latin1');
	return NOT_IN_A_HEADER.test(bytes) ? undefined : bytes;
}

/** The Last-Event-ID header of each reconnect; an id no header can carry is said once and left out (dedupe still holds). */
export class ResumeHeader {
	#warned = false;
	readonly #unsendable: () => void;

	constructor(unsendable: () => void) {
		this.#unsendable = unsendable;
	}

	for(lastId: string | undefined): Record<string, string> {
		if (lastId === undefined) {
			return {};
		}

		const header = lastEventIdHeader(lastId);
		if (header === undefined && !this.#warned) {
			this.#warned = true;
			this.#unsendable();
		}

		return header === undefined ? {} : {'Last-Event-ID': header};
	}
}
