import {linePrefix} from '../protocol/line-text.js';
import {escapeJsonControls, sanitizeInline, sanitizeText} from '../protocol/sanitize.js';
import type {PaneLine} from './pane-line.js';

/*
 * What one exported line looks like in a file (`S`). The text form is the server's run download's
 * (docs/protocol.md): `<timestamp> <LEVEL padded to 5> [<label>] <message>`, the time as the record carried
 * it, the label always, a multi-line message going on over lines of its own. That form and not follow's
 * screen form: a file is read by tools and diffed, not looked at in a terminal, so it should compare line
 * for line with `curl …/logs/download` and need no `--timestamps` to say which time column it has.
 */

/** `log`: the download's text; `json`: one JSON object a line (`.ndjson`, `.jsonl`). */
export type ExportFormat = 'log' | 'json';

/** The format a file name asks for: JSON for `.ndjson` and `.jsonl`, the text for anything else. */
export function exportFormatOf(file: string): ExportFormat {
	return /\.(?:ndjson|jsonl)$/i.test(file) ? 'json' : 'log';
}

/**
 * One line of the `.log` form, newline included. Pane text is sanitized where records are read; it is
 * sanitized again here because a file is often `cat` to a terminal, and the pane's lines may come from a
 * source that did not (the cost is one regex test on text that is already safe).
 */
export function logLine(line: PaneLine): string {
	if (line.notice) {
		// A notice (a run started, lines purged) says something about the lines around it, as the pane marks it.
		return `${line.timestamp} ── ${sanitizeInline(line.message)}\n`;
	}

	const label = line.label === undefined ? undefined : sanitizeInline(line.label);
	return `${linePrefix(line.timestamp, line.level, label)}${sanitizeText(line.message)}\n`;
}

/**
 * One line of the JSON form, newline included: `{"seq","timestamp","level","label","message"}` (seq and
 * label where the line has them), a notice as `{"timestamp","notice":true,"message"}`.
 */
export function jsonLine(line: PaneLine, seq: number | undefined): string {
	const record = line.notice
		? {timestamp: line.timestamp, notice: true, message: line.message}
		: {...(seq === undefined ? {} : {seq}), timestamp: line.timestamp, level: line.level, ...(line.label === undefined ? {} : {label: line.label}), message: line.message};
	return `${escapeJsonControls(JSON.stringify(record))}\n`;
}
