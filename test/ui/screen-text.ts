import stringWidth from 'string-width';
import {expandRows} from '../../source/ui/row-tokens.js';

/*
 * What a terminal shows for a frame, as text: rows composed of side-by-side panes place each piece with
 * CHA (`ESC[nG`) after erasing its cells with ECH (`ESC[nX`) (source/ui/screen-row.ts), so a frame's raw
 * text is not what is on screen. This puts the rows Ink drew as tokens back (source/ui/row-tokens.ts, as the
 * viewer's stream does), applies those two, drops SGR styling, and keeps everything else.
 */
export function screenText(frame: string): string {
	return expandRows(frame)
		.split('\n')
		.map((line) => {
			const cells: string[] = [];
			let cursor = 0;
			const put = (text: string) => {
				for (const char of new Intl.Segmenter().segment(text)) {
					const width = Math.max(1, stringWidth(char.segment));
					cells[cursor] = char.segment;
					for (let extra = 1; extra < width; extra++) {
						cells[cursor + extra] = '';
					}

					cursor += width;
				}
			};

			// eslint-disable-next-line no-control-regex -- the escapes are what this reads
			for (const [, text, parameter, final] of line.matchAll(/([^\u001B]+)|\u001B\[([\d;]*)([A-Za-z])/g)) {
				if (text !== undefined) {
					put(text);
				} else if (final === 'G') {
					cursor = Math.max(0, Number(parameter || 1) - 1);
				} else if (final === 'X') {
					for (let cell = 0; cell < Number(parameter || 1); cell++) {
						cells[cursor + cell] = ' ';
					}
				}
			}

			return Array.from(cells, (cell) => cell ?? ' ').join('').trimEnd();
		})
		.join('\n');
}
