/*
 * Log text can carry bytes that a terminal obeys: ESC starts CSI/OSC sequences (colors, cursor moves,
 * window titles, OSC 52 clipboard writes), BEL rings, CR rewrites a line, C1 bytes act as ESC on some
 * terminals, and bidi overrides reorder what is shown. They are made visible and harmless once, where a
 * record is normalized, so no printer or component can forget.
 */

// C0 but tab and line feed, DEL, C1, and the Unicode bidi embedding/override/isolate controls.
// eslint-disable-next-line no-control-regex -- control characters are what this finds
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
// Fast paths for readers of records (client/dialects): nearly all text is already harmless, and one test
// is cheaper than rewriting it. The same class without the g flag (a test must not move lastIndex), and
// for single-line fields with newline and tab too.
const NEEDS_TEXT = new RegExp(UNSAFE.source);
const NEEDS_INLINE = new RegExp(`[\\t\\n]|${UNSAFE.source}`);

function visible(char: string): string {
	const code = char.codePointAt(0)!;
	if (code < 0x20) {
		// Control Pictures: ESC shows as ␛, BEL as ␇, and so on, one column wide.
		return String.fromCodePoint(0x24_00 + code);
	}

	if (code === 0x7f) {
		return '\u2421';
	}

	return `\\u${code.toString(16).padStart(4, '0')}`;
}

/**
 * Neutralizes every control character but tab and newline. CRLF is a line break; a CR at the end of the
 * text or of a line (every CRLF producer's last line) goes; a CR inside a line (`40%\r80%\r100%`, a
 * progress bar) would rewrite the line on a terminal, so it shows as ␍ instead of breaking it in rows.
 */
export function sanitizeText(text: string): string {
	const normalized = text.includes('\r') ? text.replaceAll(/\r+(?=\n|$)/g, '').replaceAll('\r', '\u240D') : text;
	return normalized.replace(UNSAFE, visible);
}

/** For single-line fields (labels, ids, stream names): newlines and tabs are neutralized too. */
export function sanitizeInline(text: string): string {
	return sanitizeText(text).replaceAll('\n', '\u2424').replaceAll('\t', ' ');
}

/** True when the text has nothing a terminal would act on (tab and newline allowed): sanitizeText would keep it as it is. */
export function isSafeText(text: string): boolean {
	return !NEEDS_TEXT.test(text);
}

/** True when sanitizeInline would keep the text as it is. */
export function isSafeInline(text: string): boolean {
	return !NEEDS_INLINE.test(text);
}

// What JSON.stringify leaves as it is but a terminal may act on: DEL, the C1 controls (U+009B is CSI to some
// terminals) and the bidi overrides.
const UNESCAPED_CONTROL = /[\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const HAS_UNESCAPED_CONTROL = new RegExp(UNESCAPED_CONTROL.source);

/**
 * JSON text made safe to print: what JSON.stringify left unescaped and a terminal obeys is written as a
 * `\uXXXX` escape, which means the same to a JSON reader (follow's `--json`, the viewer's `.ndjson` export).
 */
export function escapeJsonControls(json: string): string {
	return HAS_UNESCAPED_CONTROL.test(json) ? json.replace(UNESCAPED_CONTROL, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`) : json;
}

// A backslash (any JSON escape, `\n` and `\u001b` alike) or anything past ASCII but DEL included.
const JSON_NEEDS_LOOK = /[\\\u007F-\uFFFF]/;

/**
 * True when no string that JSON text can hold needs sanitizing, as text or inline: JSON has no raw control
 * characters, so with no escape and nothing from DEL up every string is printable ASCII. One scan of a
 * line instead of one test per field (the dbtail dialect's fast path).
 */
export function isPlainJson(json: string): boolean {
	return !JSON_NEEDS_LOOK.test(json);
}
