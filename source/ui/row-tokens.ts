/*
 * Ink 6 builds every frame as a grid of cell objects: each styled line is tokenized
 * (@alcalzone/ansi-tokenize) into one object per character, placed in the grid and turned back into a
 * string, for every row of every frame, changed or not. For a viewer of busy logs that was most of what a
 * frame cost (a CPU profile at 20,000 lines/s: 78 % of allocation). So the rows drawn by FixedLines reach
 * Ink as stand-ins: a short token (an APC string, which no sanitized text can hold, naming the row's text).
 * Ink lays them out, compares them with the last frame's and writes those that changed like any text; the
 * stream Ink writes to (`homeAnchored` in terminal.ts) puts each row's text back in place of its token.
 * A row keeps its token while its text stays the same, so Ink still rewrites only the rows that changed.
 * Tests read Ink's frames through the same `expandRows`, so they see what the terminal is sent.
 *
 * The map is the process's, shared by every Ink instance (tokens are named by text, so sharing is safe),
 * and forgets the texts least recently drawn beyond LIMIT: far more than the rows of the last frames,
 * which are the only ones Ink may still write (the newest frame, Ctrl-L's repaint of it).
 */

const START = '\u001B_r';
const END = '\u001B\\';
// eslint-disable-next-line no-control-regex -- the escapes are the token
const TOKEN = /\u001B_r(\d+)\u001B\\/g;
const LIMIT = 4096;

/** Text → id, least recently drawn first; id → text. */
const ids = new Map<string, number>();
const texts = new Map<number, string>();
let next = 0;

/** The stand-in Ink draws for one row's styled text (none for an empty row). */
export function rowToken(text: string): string {
	if (text === '') {
		return '';
	}

	let id = ids.get(text);
	if (id === undefined) {
		id = next++;
		texts.set(id, text);
		if (ids.size >= LIMIT) {
			const [oldest, oldestId] = ids.entries().next().value!;
			ids.delete(oldest);
			texts.delete(oldestId);
		}
	} else {
		// Drawn again: the most recent now.
		ids.delete(text);
	}

	ids.set(text, id);
	return `${START}${id}${END}`;
}

/** What Ink wrote, with each row's text in place of its token. */
export function expandRows(chunk: string): string {
	return chunk.includes(START) ? chunk.replaceAll(TOKEN, (_token, id: string) => texts.get(Number(id)) ?? '') : chunk;
}
