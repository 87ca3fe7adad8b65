import type {Level} from './levels.js';

/*
 * One record as a line of text, the same in `follow`, a run download and the viewer:
 * `<time> LEVEL [label] message`, the level padded to five columns, the label only when there is one.
 */

/** How each part of the prefix is dressed: color codes for a terminal, nothing for a file. */
export type PrefixStyle = {
	time(text: string): string;
	level(text: string, level: Level): string;
	label(text: string): string;
};

const plain: PrefixStyle = {time: (text) => text, level: (text) => text, label: (text) => text};

/** `[extract] message`, or the message alone. */
export function labelled(label: string | undefined, message: string): string {
	return label ? `[${label}] ${message}` : message;
}

/** `2026-11-22T10:30:45.123Z INFO  [extract] `: what stands before the message (no time when `time` is empty). */
export function linePrefix(time: string, level: Level, label: string | undefined, style: PrefixStyle = plain): string {
	const timePart = time ? `${style.time(time)} ` : '';
	const labelPart = label ? `${style.label(`[${label}]`)} ` : '';
	return `${timePart}${style.level(level.padEnd(5), level)} ${labelPart}`;
}
