import stringWidth from 'string-width';

/*
 * A terminal screen as far as the viewer's writes need one: what runApp sends a TTY (Ink's incremental
 * frames after the home move, the full repaints, the row pieces placed with CHA and ECH), played onto a
 * grid of cells; a newline on the bottom row scrolls it, as a terminal does. Styling is dropped; anything
 * this does not know is an error, so a token Ink was never meant to send (row-tokens.ts) or a stray escape
 * fails the test instead of passing unseen.
 */
export function playScreen(output: string, columns: number, rows: number): string {
	const screen = Array.from({length: rows}, () => Array.from({length: columns}, () => ' '));
	let row = 0;
	let column = 0;
	const eraseRow = (from: number) => {
		for (let cell = from; cell < columns; cell++) {
			screen[row]![cell] = ' ';
		}
	};

	// eslint-disable-next-line no-control-regex -- the escapes are what this plays
	for (const [, text, parameter, final] of output.matchAll(/([^\u001B\n\r]+|\n|\r)|\u001B\[\??([\d;]*)([A-Za-z])/g)) {
		if (text === '\n') {
			// On the bottom row a newline scrolls the screen, as a terminal does (a frame taller than it).
			if (row === rows - 1) {
				screen.shift();
				screen.push(Array.from({length: columns}, () => ' '));
			}

			row = Math.min(rows - 1, row + 1);
			column = 0;
		} else if (text === '\r') {
			column = 0;
		} else if (text !== undefined) {
			for (const {segment} of new Intl.Segmenter().segment(text)) {
				const width = stringWidth(segment);
				if (column + width <= columns) {
					screen[row]![column] = segment;
					for (let extra = 1; extra < width; extra++) {
						screen[row]![column + extra] = '';
					}
				}

				column += width;
			}
		} else {
			const count = Number(parameter || 1);
			switch (final) {
				case 'H': {
					row = 0;
					column = 0;
					break;
				}

				case 'A': {
					row = Math.max(0, row - count);
					break;
				}

				case 'E': {
					row = Math.min(rows - 1, row + count);
					column = 0;
					break;
				}

				case 'G': {
					column = count - 1;
					break;
				}

				case 'K': {
					eraseRow(parameter === '2' ? 0 : column);
					break;
				}

				case 'X': {
					for (let cell = column; cell < Math.min(columns, column + count); cell++) {
						screen[row]![cell] = ' ';
					}

					break;
				}

				case 'J': {
					for (const line of screen) {
						line.fill(' ');
					}

					break;
				}

				case 'm':
				case 'h':
				case 'l': {
					break;
				}

				default: {
					throw new Error(`playScreen: an escape it does not know: ESC[${parameter}${final}`);
				}
			}
		}
	}

	if (output.includes('\u001B_') || output.includes('\u001B]')) {
		throw new Error('playScreen: the output holds an APC or OSC string');
	}

	return screen.map((line) => line.join('').trimEnd()).join('\n');
}
