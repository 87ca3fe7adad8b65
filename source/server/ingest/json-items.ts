/*
 * One pass over a JSON text that finds its items (the elements of a top-level array, or the text itself)
 * and refuses, before anything is parsed, what would make JSON.parse hold the event loop: nesting past a
 * depth (16 MB of `[` took JSON.parse 1 to 4 s to refuse) and items of too many values (an object of
 * 1.3 million keys takes 1 s to parse and 0.5 s to serialize again). It does not validate: each item goes
 * to JSON.parse on its own, which refuses anything malformed, so a split in the wrong place only ever
 * yields an item that does not parse.
 */

/** Why an item was refused: its 1-based number, and what it broke. */
export type ItemProblem = {item: number; problem: 'deep' | 'values' | 'batch-values' | 'items' | 'unterminated' | 'trailing'};

export type ItemLimits = {
	/** Nesting within one item (an item that is a scalar has depth 0, an object of scalars 1). */
	maxDepth: number;
	/** Values within one item, counted by their separators (`,` and `:` outside strings). */
	maxValues: number;
	/** Items in a top-level array. */
	maxItems: number;
	/** Values left for the whole batch, shared by every call for its texts (NDJSON rows are one call each). */
	batch: {valuesLeft: number};
};

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/**
 * The items of `text` as [start, end) offsets: the elements when it is an array (`[` first, after
 * whitespace), else the whole text as one item. Throws nothing: a problem is returned, naming the item.
 */
export function jsonItems(text: string, limits: ItemLimits): Array<[number, number]> | ItemProblem {
	const first = text.search(/\S/);
	const isArray = first !== -1 && text.charCodeAt(first) === OPEN_ARRAY;
	// Inside an array, items sit at depth 1; the array's own bracket does not count toward an item's depth.
	const base = isArray ? 1 : 0;
	const items: Array<[number, number]> = [];
	let start = isArray ? first + 1 : 0;
	let depth = 0;
	let values = 0;
	let inString = false;
	let index = first === -1 ? text.length : first;
	for (; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (inString) {
			if (code === BACKSLASH) {
				index++;
			} else if (code === QUOTE) {
				inString = false;
			}

			continue;
		}

		if (code === QUOTE) {
			inString = true;
		} else if (code === OPEN_ARRAY || code === OPEN_OBJECT) {
			depth++;
			if (depth - base > limits.maxDepth) {return {item: items.length + 1, problem: 'deep'};}
		} else if (code === CLOSE_ARRAY || code === CLOSE_OBJECT) {
			depth--;
			if (isArray && depth === 0) {
				// The array's end: what it held, and nothing but whitespace after it.
				if (text.slice(start, index).trim() !== '' || items.length > 0) {items.push([start, index]);}
				return text.slice(index + 1).trim() === '' ? items : {item: items.length, problem: 'trailing'};
			}
		} else if (code === COMMA && isArray && depth === 1) {
			items.push([start, index]);
			if (items.length >= limits.maxItems) {return {item: items.length + 1, problem: 'items'};}
			start = index + 1;
			values = 0;
		} else if (code === COMMA || code === COLON) {
			values++;
			if (values > limits.maxValues) {return {item: items.length + 1, problem: 'values'};}
			if (--limits.batch.valuesLeft < 0) {return {item: items.length + 1, problem: 'batch-values'};}
		}
	}

	if (isArray) {return {item: items.length + 1, problem: 'unterminated'};}
	return [[0, text.length]];
}
