/*
 * One terminal row made of several panes' lines side by side. Each piece is put at its own column with an
 * absolute cursor move (CHA) after erasing its cells (ECH), instead of relying on the widths of what stands
 * before it: when the terminal draws a grapheme wider or narrower than we measured, only that piece is off,
 * never the panes to its right, and a shorter line leaves nothing of the last frame behind.
 */

export type RowPiece = {column: number; width: number; text: string};

const at = (column: number) => `\u001B[${column + 1}G`;
const erase = (cells: number) => (cells > 0 ? `\u001B[${cells}X` : '');

/** The pieces of one row, left to right, with `rule` drawn in the column after each piece but the last. */
export function composeRow(pieces: RowPiece[], rule?: string): string {
	let out = '';
	for (const [index, piece] of pieces.entries()) {
		out += `${at(piece.column)}${erase(piece.width)}${piece.text}`;
		if (rule !== undefined && index < pieces.length - 1) {
			out += `${at(piece.column + piece.width)}${rule}`;
		}
	}

	return out;
}
