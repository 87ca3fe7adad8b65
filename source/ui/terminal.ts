import {expandRows} from './row-tokens.js';

/*
 * The terminal around the Ink app. Ink 6 has no alternate-screen option, so the viewer writes the codes
 * itself and must give the screen back on every way out: q, Ctrl-C, SIGTERM, an uncaught error.
 */

// The alternate screen, no cursor, bracketed paste (a paste arrives marked, so its line breaks are text
// in a prompt, not Enter), and mouse reports in SGR form for the wheel: an alternate screen has no
// scrollback, so a wheel the terminal kept would scroll nothing (tmux's would enter copy mode). Shift
// and drag still selects text in xterm, tmux (with mouse on) and most terminals.
const ENTER = '\u001B[?1049h\u001B[?25l\u001B[?2004h\u001B[?1000h\u001B[?1006h\u001B[H';
const LEAVE = '\u001B[?1006l\u001B[?1000l\u001B[?2004l\u001B[?25h\u001B[?1049l';

export type Writable = {write(chunk: string): unknown};

export class TerminalScreen {
	#active = false;

	readonly #stdout: Writable;

	constructor(stdout: Writable) {
		this.#stdout = stdout;
	}

	enter(): void {
		if (!this.#active) {
			this.#active = true;
			this.#stdout.write(ENTER);
		}
	}

	/** Safe to call more than once and from an `exit` handler (the write is synchronous on a TTY). */
	restore(): void {
		if (this.#active) {
			this.#active = false;
			this.#stdout.write(LEAVE);
		}
	}
}

/**
 * OSC 52: asks the terminal to put text on the clipboard. It travels in the output stream, so it works
 * over ssh and in tmux (with `set -g set-clipboard on`). The text is the sanitized message: it carries no
 * control characters that could end the sequence early.
 */
export function osc52(text: string): string {
	return `\u001B]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
}

/**
 * The stream Ink writes to, made so the viewer can use every row of the terminal:
 * - Ink 6.8's incremental renderer moves the cursor up one row too few before each frame when the frame
 *   ends in a newline, so each frame would land one row lower: every write is anchored at the top-left
 *   corner first (cursor-up then stops at the top row, where the frame starts);
 * - Ink clears the whole terminal on every frame once a frame is as tall as the terminal, so it is told
 *   the terminal has one row more than it has, and the newline it puts after the last row (which on the
 *   bottom row would scroll the screen) is left out.
 * - while `held()` (the viewer is stopped by Ctrl-Z), nothing is written: a frame Ink had queued would
 *   land on the shell's screen after `fg`, before the viewer takes its own screen back, and stay there.
 * - the rows FixedLines drew as tokens are expanded to their text (row-tokens.ts);
 * - while `rowsOnly()` (the frame is made only of FixedLines rows), Ink is told the terminal is one column
 *   wide: Ink's frame is a grid of one cell object per column and row, built and turned back into text on
 *   every frame, and with every row a token at column 0 the other columns only held blanks (a third of a
 *   frame's CPU at 160x48). The App lays itself out for the real width, which it is given, not Ink's.
 * Everything else is the real stream: columns (but for the case above), `resize` events, isTTY.
 */
export function homeAnchored(stdout: NodeJS.WriteStream, held: () => boolean = () => false, rowsOnly: () => boolean = () => false): NodeJS.WriteStream {
	const write = (chunk: unknown, ...rest: unknown[]): boolean => {
		if (held()) {
			return true;
		}

		return (stdout.write as (...args: unknown[]) => boolean)(typeof chunk === 'string' ? `\u001B[H${expandRows(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk)}` : chunk, ...rest);
	};

	return new Proxy(stdout, {
		get(target, property) {
			if (property === 'write') {
				return write;
			}

			if (property === 'rows') {
				return (target.rows || 24) + 1;
			}

			if (property === 'columns' && rowsOnly()) {
				return 1;
			}

			const value: unknown = Reflect.get(target, property, target);
			return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
		},
	});
}
