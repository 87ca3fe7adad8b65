import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';

/*
 * Terminal columns, not string length: CJK and most emoji take two columns, combining marks none.
 * Log text reaching here is sanitized (no ESC), so it carries no ANSI styling to preserve.
 */

const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
const segmenter = new Intl.Segmenter();

/** Tabs become spaces up to the next multiple of 8 columns, as a terminal would show them. */
export function expandTabs(text: string, tabSize = 8): string {
	if (!text.includes('\t')) {
		return text;
	}

	let out = '';
	let column = 0;
	for (const {segment} of segmenter.segment(text)) {
		if (segment === '\t') {
			const pad = tabSize - (column % tabSize);
			out += ' '.repeat(pad);
			column += pad;
		} else {
			out += segment;
			column += stringWidth(segment);
		}
	}

	return out;
}

/** The part of `text` from column `start`, at most `width` columns wide (for wrap off + sideways scroll). */
export function sliceColumns(text: string, start: number, width: number): string {
	if (PRINTABLE_ASCII.test(text)) {
		return text.slice(start, start + width);
	}

	let out = '';
	let column = 0;
	for (const {segment} of segmenter.segment(text)) {
		const cells = stringWidth(segment);
		if (column >= start && column + cells <= start + width) {
			out += segment;
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
 * The space at a break goes; a message's own leading indentation stays. Several times faster than
 * wrap-ansi, which matters because every row on screen is laid out again each frame.
 */
function wrapAscii(text: string, width: number): string[] {
	const rows: string[] = [];
	let start = 0;
	while (text.length - start > width) {
		const space = text.lastIndexOf(' ', start + width);
		if (space > start) {
			rows.push(text.slice(start, space));
			start = space + 1;
		} else {
			rows.push(text.slice(start, start + width));
			start += width;
		}
	}

	rows.push(text.slice(start));
	return rows;
}

/** Splits one line into rows of at most `width` columns, breaking at spaces when it can. */
export function wrapColumns(text: string, width: number): string[] {
	const columns = Math.max(1, width);
	if (PRINTABLE_ASCII.test(text)) {
		return text.length <= columns ? [text] : wrapAscii(text, columns);
	}

	// trim: false keeps a message's own indentation (stack traces); the one space a break leaves at the
	// start of a continuation row is dropped so wrapped words line up.
	const rows = wrapAnsi(text, columns, {hard: true, trim: false}).split('\n');
	for (let index = 1; index < rows.length; index++) {
		if (rows[index]!.startsWith(' ') && !rows[index - 1]!.endsWith(' ')) {
			rows[index] = rows[index]!.slice(1);
		}
	}

	return rows;
}

export {default as stringWidth} from 'string-width';
