import {sanitizeInline} from '../protocol/sanitize.js';
import {EARLIEST_TIME_MS, LATEST_TIME_MS, parseSince} from '../protocol/time.js';

/*
 * What a time typed at `T` means. The clock forms are local time, as the pane's absolute timestamps are
 * (timestamps.ts reads Date's local getters): `14:05` is 14:05 on the day of the cursor line, so a run
 * read the morning after is still at its own 14:05.
 */

/** A time read from the prompt (ms), and how the status bar names it; or what is wrong with the text. */
export type TimeTarget = {time: number; label: string} | {error: string};

const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};
const CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/;
const BACK = /^-?(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;
/** The longest text an error quotes: a paste of a whole line says no more than its start. */
const QUOTED = 40;

export const TIME_FORMS = '14:05, 14:05:30, -10m, -2h or an ISO time';

const two = (value: number) => String(value).padStart(2, '0');

function sameDay(a: Date, b: Date): boolean {
	return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

/**
 * `14:05:00` in local time, milliseconds only when there are some, and the date before it when it is not
 * the day of `now` (as absoluteTime in timestamps.ts shows a line's time).
 */
export function timeLabel(time: number, now: number): string {
	const date = new Date(time);
	const millis = date.getMilliseconds() === 0 ? '' : `.${String(date.getMilliseconds()).padStart(3, '0')}`;
	const clock = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}${millis}`;
	return sameDay(date, new Date(now)) ? clock : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${clock}`;
}

/**
 * Reads `14:05` / `14:05:30` / `14:05:30.250` (local time on the day of `day`, the cursor line's time),
 * `-10m` / `-2h` / `-30s` / `-1d` back from `now` (the minus may be left out, as `--since 10m`), or an ISO
 * time (`2026-11-20T14:05:00Z`; without a zone, local time).
 */
export function parseTimeTarget(text: string, day: number, now: number): TimeTarget {
	const typed = text.trim();
	if (typed === '') {
		return {error: `type a time: ${TIME_FORMS}`};
	}

	const time = clockOn(typed, day) ?? backFrom(typed, now) ?? parseSince(typed, now)?.getTime();
	// Only the years 1970 to 9999, as the server reads `from=` (and a record's time) too.
	if (time === undefined || !(time >= EARLIEST_TIME_MS && time <= LATEST_TIME_MS)) {
		const quoted = typed.length > QUOTED ? `${typed.slice(0, QUOTED)}…` : typed;
		return {error: `not a time: "${sanitizeInline(quoted)}" (use ${TIME_FORMS})`};
	}

	return {time, label: timeLabel(time, now)};
}

function clockOn(text: string, day: number): number | undefined {
	const match = CLOCK.exec(text);
	if (!match) {
		return undefined;
	}

	const [hours, minutes, seconds] = [Number(match[1]), Number(match[2]), Number(match[3] ?? 0)];
	if (hours > 23 || minutes > 59 || seconds > 59) {
		return Number.NaN;
	}

	const date = new Date(day);
	return new Date(date.getFullYear(), date.getMonth(), date.getDate(), hours, minutes, seconds, Number((match[4] ?? '0').padEnd(3, '0'))).getTime();
}

function backFrom(text: string, now: number): number | undefined {
	const match = BACK.exec(text);
	return match ? now - Number(match[1]) * UNITS[match[2]!]! : undefined;
}
