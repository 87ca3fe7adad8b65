import stringWidth from 'string-width';

/*
 * Turns a terminal screen as `tmux capture-pane -e -p` prints it (text with SGR escapes, one row per line)
 * into an SVG: a dark terminal window, monospace text in colored tspans, one per run of equal style.
 * Every run is placed at its own column (x = column * cell width), so a font whose advance differs a little
 * from the assumed cell width cannot push later text out of its column.
 */

export type Style = {
	fg?: string;
	bg?: string;
	bold?: boolean;
	dim?: boolean;
	italic?: boolean;
	underline?: boolean;
	inverse?: boolean;
};

export type Run = {column: number; width: number; text: string; style: Style};

// A dark palette in the spirit of common terminal themes; indexes 0-15 as SGR 30-37 and 90-97.
const PALETTE16 = [
	'#1d1f21', '#cc6666', '#b5bd68', '#f0c674', '#81a2be', '#b294bb', '#8abeb7', '#c5c8c6',
	'#666666', '#ff7b7b', '#d0e080', '#ffe08a', '#9fc3e6', '#d4b0de', '#a3e0d8', '#ffffff',
];
const DEFAULT_FG = '#c5c8c6';
const DEFAULT_BG = '#1d1f21';

/** xterm's 256-color cube and grey ramp. */
export function color256(index: number): string {
	if (index < 16) {
		return PALETTE16[index]!;
	}

	if (index >= 232) {
		const level = 8 + (index - 232) * 10;
		return rgb(level, level, level);
	}

	const cube = index - 16;
	const step = (value: number) => (value === 0 ? 0 : 55 + value * 40);
	return rgb(step(Math.floor(cube / 36)), step(Math.floor(cube / 6) % 6), step(cube % 6));
}

function rgb(red: number, green: number, blue: number): string {
	return `#${[red, green, blue].map(value => value.toString(16).padStart(2, '0')).join('')}`;
}

/** Applies one SGR parameter list (`1;31`, `38;5;208`, `48;2;10;20;30`, or empty for a reset) to a style. */
export function applySgr(style: Style, parameters: string): Style {
	const codes = parameters === '' ? [0] : parameters.split(/[;:]/).map(Number);
	let next: Style = {...style};
	for (let index = 0; index < codes.length; index++) {
		const code = codes[index]!;
		if (code === 38 || code === 48) {
			const key = code === 38 ? 'fg' : 'bg';
			if (codes[index + 1] === 5) {
				next[key] = color256(codes[index + 2] ?? 0);
				index += 2;
			} else if (codes[index + 1] === 2) {
				next[key] = rgb(codes[index + 2] ?? 0, codes[index + 3] ?? 0, codes[index + 4] ?? 0);
				index += 4;
			}

			continue;
		}

		next = applySimple(next, code);
	}

	return next;
}

function applySimple(style: Style, code: number): Style {
	const flags: Record<number, Partial<Style>> = {
		0: {fg: undefined, bg: undefined, bold: false, dim: false, italic: false, underline: false, inverse: false},
		1: {bold: true},
		2: {dim: true},
		3: {italic: true},
		4: {underline: true},
		7: {inverse: true},
		22: {bold: false, dim: false},
		23: {italic: false},
		24: {underline: false},
		27: {inverse: false},
		39: {fg: undefined},
		49: {bg: undefined},
	};
	if (code in flags) {
		return {...style, ...flags[code]};
	}

	if (code >= 30 && code <= 37) {
		return {...style, fg: PALETTE16[code - 30]};
	}

	if (code >= 90 && code <= 97) {
		return {...style, fg: PALETTE16[code - 90 + 8]};
	}

	if (code >= 40 && code <= 47) {
		return {...style, bg: PALETTE16[code - 40]};
	}

	if (code >= 100 && code <= 107) {
		return {...style, bg: PALETTE16[code - 100 + 8]};
	}

	return style;
}

function sameStyle(a: Style, b: Style): boolean {
	return (
		a.fg === b.fg &&
		a.bg === b.bg &&
		Boolean(a.bold) === Boolean(b.bold) &&
		Boolean(a.dim) === Boolean(b.dim) &&
		Boolean(a.italic) === Boolean(b.italic) &&
		Boolean(a.underline) === Boolean(b.underline) &&
		Boolean(a.inverse) === Boolean(b.inverse)
	);
}

/** Splits one captured row into runs of equal style, with the terminal column where each starts. */
export function parseRow(row: string, initial: Style = {}): {runs: Run[]; style: Style} {
	const runs: Run[] = [];
	let style = initial;
	let column = 0;
	// eslint-disable-next-line no-control-regex -- ESC is what this pattern reads
	const pattern = /\u001B\[([\d;:]*)m|\u001B\[[\d;?]*[A-Za-z]|([^\u001B]+)/gu;
	for (const match of row.matchAll(pattern)) {
		if (match[1] !== undefined) {
			style = applySgr(style, match[1]);
			continue;
		}

		const text = match[2];
		if (text === undefined) {
			continue; // Another CSI sequence: capture-pane does not emit them, and they draw nothing.
		}

		const width = stringWidth(text);
		const last = runs.at(-1);
		if (last && sameStyle(last.style, style) && last.column + last.width === column) {
			last.text += text;
			last.width += width;
		} else {
			runs.push({column, width, text, style});
		}

		column += width;
	}

	return {runs, style};
}

export type SvgOptions = {
	columns: number;
	rows: number;
	title?: string;
	fontSize?: number;
};

function escapeXml(text: string): string {
	return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

/** The whole screen as a standalone SVG document. */
export function ansiToSvg(screen: string, options: SvgOptions): string {
	const fontSize = options.fontSize ?? 14;
	const cell = fontSize * 0.6; // The advance of common monospace fonts.
	const line = Math.round(fontSize * 1.3);
	const pad = 12;
	const bar = options.title === undefined ? 0 : 28;
	const width = Math.ceil(options.columns * cell + pad * 2);
	const height = options.rows * line + pad * 2 + bar;
	const backgrounds: string[] = [];
	const texts: string[] = [];
	let style: Style = {};
	for (const [rowIndex, row] of screen.replace(/\n$/, '').split('\n').slice(0, options.rows).entries()) {
		const parsed = parseRow(row, style);
		style = parsed.style;
		const top = pad + bar + rowIndex * line;
		for (const run of parsed.runs) {
			const fg = run.style.inverse ? (run.style.bg ?? DEFAULT_BG) : (run.style.fg ?? DEFAULT_FG);
			const bg = run.style.inverse ? (run.style.fg ?? DEFAULT_FG) : run.style.bg;
			const x = (pad + run.column * cell).toFixed(1);
			if (bg) {
				backgrounds.push(
					`<rect x="${x}" y="${top}" width="${(run.width * cell).toFixed(1)}" height="${line}" fill="${bg}"/>`,
				);
			}

			if (run.text.trim() === '') {
				continue;
			}

			const looks: string[] = [`fill="${fg}"`];
			if (run.style.bold) {looks.push('font-weight="bold"');}
			if (run.style.dim) {looks.push('fill-opacity="0.6"');}
			if (run.style.italic) {looks.push('font-style="italic"');}
			if (run.style.underline) {looks.push('text-decoration="underline"');}
			// Browsers drop a text's leading spaces and fold runs of them whatever xml:space says (Chromium
			// drew `● live` as `●live`): each stretch of words is placed at its own column instead.
			for (const words of run.text.matchAll(/\S+(?: \S+)*/g)) {
				const column = run.column + stringWidth(run.text.slice(0, words.index));
				texts.push(
					`<text y="${(top + line * 0.78).toFixed(1)}" x="${(pad + column * cell).toFixed(1)}" ${looks.join(' ')}>${escapeXml(words[0])}</text>`,
				);
			}
		}
	}

	const title =
		options.title === undefined
			? ''
			: [
					`<circle cx="20" cy="16" r="6" fill="#ff5f56"/><circle cx="40" cy="16" r="6" fill="#ffbd2e"/>`,
					`<circle cx="60" cy="16" r="6" fill="#27c93f"/>`,
					`<text x="${width / 2}" y="21" fill="#8a8d8f" text-anchor="middle" font-size="13">${escapeXml(options.title)}</text>`,
				].join('');
	return [
		`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
		`<rect width="${width}" height="${height}" rx="8" fill="${DEFAULT_BG}"/>`,
		title,
		`<g font-family="'DejaVu Sans Mono', Menlo, Consolas, 'Liberation Mono', monospace" font-size="${fontSize}" xml:space="preserve">`,
		...backgrounds,
		...texts,
		'</g>',
		'</svg>',
		'',
	].join('\n');
}
