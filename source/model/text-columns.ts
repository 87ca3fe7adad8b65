import plainWidth from 'string-width';

/*
 * Terminal columns, not string length: CJK and most emoji take two columns, combining marks none.
 * Log text reaching here is sanitized (no ESC), so it carries no ANSI styling to preserve.
 *
 * Terminals disagree about sequences: `👍🏽` is one grapheme of 2 columns to string-width, and 4 to tmux
 * (which draws the emoji and its skin-tone modifier apart); a ZWJ family is 2 or 6. A row measured
 * narrower than the terminal draws it overflows and wraps, and every row below moves. So every width here
 * is the widest reading: a grapheme of several code points is at least as wide as its code points drawn
 * one by one. Where a terminal draws it narrower, the row merely ends early.
 */

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
const segmenter = new Intl.Segmenter();
const clusterWidths = new Map<string, number>();

/** The widest reading of one grapheme cluster. */
function clusterWidth(cluster: string): number {
	// Looked up, not measured: string-width costs microseconds a call, and a screen of text is thousands.
	let width = clusterWidths.get(cluster);
	if (width === undefined) {
		let apart = 0;
		for (const codePoint of cluster) {
			apart += plainWidth(codePoint);
		}

		width = cluster.length === 1 ? apart : Math.max(plainWidth(cluster), apart);
		if (clusterWidths.size > 10_000) {
			clusterWidths.clear();
		}

		clusterWidths.set(cluster, width);
	}

	return width;
}

/*
 * ICU's segmenter costs in the length of the whole string it is given, not in the clusters read: the
 * first 5,000 clusters of a 1.2 MB line of `é` took 5.3 s, the same from a 6,000-character slice 11 ms.
 * So text is segmented a window at a time, and a caller that stops early pays only for what it read.
 * A window's last cluster may be cut at the window's edge, so it is read again at the next window's start.
 */
const SEGMENT_WINDOW = 1024;

function* graphemes(text: string): Generator<string> {
	let start = 0;
	while (start < text.length) {
		const end = start + SEGMENT_WINDOW;
		if (end >= text.length) {
			for (const {segment} of segmenter.segment(start === 0 ? text : text.slice(start))) {
				yield segment;
			}

			return;
		}

		let last = 0;
		let lastSegment = '';
		for (const {segment, index} of segmenter.segment(text.slice(start, end))) {
			if (index > 0) {
				yield lastSegment;
			}

			last = index;
			lastSegment = segment;
		}

		// One cluster longer than a window (thousands of combining marks) is yielded in pieces.
		if (last === 0) {
			yield lastSegment;
			last = lastSegment.length;
		}

		start += last;
	}
}

/** Plain printable ASCII (one column a character), judged on no more than the first `limit` characters. */
function isPlainAscii(text: string, limit = Number.POSITIVE_INFINITY): boolean {
	return PRINTABLE_ASCII.test(text.length > limit ? text.slice(0, limit) : text);
}

/** Columns `text` takes, at its widest (see above). */
export function stringWidth(text: string): number {
	if (isPlainAscii(text)) {
		return text.length;
	}

	let width = 0;
	for (const cluster of graphemes(text)) {
		width += clusterWidth(cluster);
	}

	return width;
}

/** Tabs become spaces up to the next multiple of 8 columns, as a terminal would show them. */
export function expandTabs(text: string, tabSize = 8): string {
	if (!text.includes('\t')) {
		return text;
	}

	let out = '';
	let column = 0;
	for (const cluster of graphemes(text)) {
		if (cluster === '\t') {
			const pad = tabSize - (column % tabSize);
			out += ' '.repeat(pad);
			column += pad;
		} else {
			out += cluster;
			column += clusterWidth(cluster);
		}
	}

	return out;
}

/** The part of `text` from column `start`, at most `width` columns wide (for wrap off + sideways scroll). */
export function sliceColumns(text: string, start: number, width: number): string {
	if (isPlainAscii(text, start + width)) {
		return text.slice(start, start + width);
	}

	let out = '';
	let column = 0;
	for (const cluster of graphemes(text)) {
		const cells = clusterWidth(cluster);
		if (column >= start && column + cells <= start + width) {
			out += cluster;
		}

		column += cells;
		if (column >= start + width) {
			break;
		}
	}

	return out;
}

/**
 * Plain ASCII, one column a character (most log lines): break at the last space that fits, else cut.
 * The space at a break goes; a message's own leading indentation stays. Several times faster than the
 * grapheme path, which matters because every row on screen is laid out again each frame.
 */
function wrapAscii(text: string, width: number, maxRows: number): Wrapped {
	const rows: string[] = [];
	let start = 0;
	while (text.length - start > width) {
		if (rows.length === maxRows) {
			return {rows, complete: false};
		}

		const space = text.lastIndexOf(' ', start + width);
		if (space > start) {
			rows.push(text.slice(start, space));
			start = space + 1;
		} else {
			rows.push(text.slice(start, start + width));
			start += width;
		}
	}

	if (rows.length === maxRows) {
		return {rows, complete: false};
	}

	rows.push(text.slice(start));
	return {rows, complete: true};
}

/**
 * Any text: the same rule, one grapheme cluster at a time, so a row never starts with half of one (a lone
 * ZWJ and `👧`, a lone U+FE0F, a combining mark without its letter).
 */
function wrapGraphemes(text: string, width: number, maxRows: number): Wrapped {
	const rows: string[] = [];
	let row: string[] = [];
	let cells = 0;
	// Where the row could break: after its last space (index into `row`), and the columns before it.
	let space = -1;
	let cellsAtSpace = 0;
	for (const cluster of graphemes(text)) {
		const cellsOf = clusterWidth(cluster);
		if (cells + cellsOf > width && row.length > 0) {
			if (rows.length === maxRows) {
				return {rows, complete: false};
			}

			if (space > 0 && cluster !== ' ') {
				rows.push(row.slice(0, space).join(''));
				row = row.slice(space + 1);
				cells -= cellsAtSpace + 1;
			} else {
				rows.push(row.join(''));
				row = [];
				cells = 0;
			}

			space = row.lastIndexOf(' ');
			cellsAtSpace = space > 0 ? stringWidth(row.slice(0, space).join('')) : 0;
			if (cluster === ' ' && row.length === 0) {
				// The space at a break goes.
				continue;
			}
		}

		if (cluster === ' ' && row.length > 0) {
			space = row.length;
			cellsAtSpace = cells;
		}

		row.push(cluster);
		cells += cellsOf;
	}

	if (rows.length === maxRows) {
		return {rows, complete: false};
	}

	rows.push(row.join(''));
	return {rows, complete: true};
}

/** Rows of a wrapped text, and whether they hold all of it. */
export type Wrapped = {rows: string[]; complete: boolean};

/**
 * Splits one line into at most `maxRows` rows of at most `width` columns, breaking at spaces when it can.
 * It reads the text only as far as those rows reach: the first rows of a 1 MB line cost what they hold.
 */
export function wrapRows(text: string, width: number, maxRows = Number.POSITIVE_INFINITY): Wrapped {
	const columns = Math.max(1, width);
	// A row of ASCII holds `columns` characters, and the break looks at one more.
	if (isPlainAscii(text, (maxRows + 1) * (columns + 1))) {
		return text.length <= columns ? {rows: [text], complete: true} : wrapAscii(text, columns, maxRows);
	}

	return wrapGraphemes(text, columns, maxRows);
}

/** Splits one line into rows of at most `width` columns, breaking at spaces when it can. */
export function wrapColumns(text: string, width: number): string[] {
	return wrapRows(text, width).rows;
}

/**
 * The columns `text` takes, read only up to `limit` columns: a wider text answers more than `limit`
 * (at most `limit` plus one cluster's width), so a 1 MB line is not measured to its end.
 */
export function columnsUpTo(text: string, limit: number): number {
	if (isPlainAscii(text, limit + 1)) {
		return Math.min(text.length, limit + 1);
	}

	let width = 0;
	for (const cluster of graphemes(text)) {
		width += clusterWidth(cluster);
		if (width > limit) {
			break;
		}
	}

	return width;
}
