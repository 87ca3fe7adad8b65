import {formatDuration} from '../protocol/time.js';
import type {NotifyMode, RunNotice} from '../model/run-notices.js';

/*
 * A notice as bytes for the terminal: the bell (BEL) and a desktop notification, written twice, as OSC 9
 * (iTerm2's form, read by several other terminals) and as OSC 777 (urxvt's `notify`, read by VTE terminals
 * and others): a terminal acts on the form it knows and ignores the other (one that knows both may show
 * two; `--notify bell` or `off` is there for that). Inside tmux an OSC reaches the outer terminal only
 * wrapped in tmux's DCS passthrough, and only with `set -g allow-passthrough on` (tmux 3.3 and later); the
 * bell is not wrapped: tmux passes a pane's bell on by itself (`bell-action`, `monitor-bell`).
 */

/** The longest text a notification carries: terminals show one line, and some cut a long OSC short. */
export const NOTICE_MAX = 160;

const BEL = '\u0007';
const ESC = '\u001B';

/**
 * Text safe inside an OSC and inside one field of OSC 777: every control character (C0, DEL, C1; ESC and
 * BEL would end the sequence, C1's ST too), the bidi controls (sanitize.ts's class: the desktop would show
 * the text reordered) and Unicode's line and paragraph separators (a notification is one line) made a
 * space, `;` (777's field separator) made a comma, runs of spaces made one, at most `max` characters
 * (whole code points) with `…` where cut.
 */
export function oscField(text: string, max = NOTICE_MAX): string {
	// eslint-disable-next-line no-control-regex -- the point is to find control characters
	const clean = text.replaceAll(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/g, ' ').replaceAll(';', ',').replaceAll(/ {2,}/g, ' ').trim();
	const points = Array.from(clean);
	return points.length <= max ? clean : `${points.slice(0, max - 1).join('')}…`;
}

/** `automation/nightly-etl r-4021 failed in 4m12s`, `task/load r-4021 first ERROR: disk full`. */
export function noticeText(notice: RunNotice): string {
	const run = notice.runId === undefined ? '' : ` ${notice.runId}`;
	if (notice.kind === 'end') {
		const took = notice.durationMs === undefined ? '' : ` in ${formatDuration(notice.durationMs)}`;
		return `${notice.source}${run} ${notice.result}${took}`;
	}

	return `${notice.source}${run} first ERROR: ${notice.message}`;
}

/** tmux's passthrough: the sequence inside `ESC P tmux; … ESC \`, each of its ESCs doubled. */
export function tmuxPassthrough(sequence: string): string {
	return `${ESC}Ptmux;${sequence.replaceAll(ESC, ESC + ESC)}${ESC}\\`;
}

/**
 * What to write for a notice: the bell and/or OSC 9 and OSC 777, per `mode`; the OSCs wrapped for tmux's
 * passthrough when `tmux` (the viewer runs inside tmux: $TMUX is set). Empty for `off`.
 */
export function noticeBytes(notice: RunNotice, mode: NotifyMode, tmux: boolean): string {
	let out = '';
	if (mode === 'both' || mode === 'desktop') {
		const body = oscField(noticeText(notice));
		const osc9 = `${ESC}]9;dbtail: ${body}${BEL}`;
		const osc777 = `${ESC}]777;notify;dbtail;${body}${BEL}`;
		out += tmux ? tmuxPassthrough(osc9) + tmuxPassthrough(osc777) : osc9 + osc777;
	}

	if (mode === 'both' || mode === 'bell') {
		out += BEL;
	}

	return out;
}
