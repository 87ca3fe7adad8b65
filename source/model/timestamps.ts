/*
 * What a time column says, one meaning per word in the viewer and in `dbtail follow`:
 * - relative: the line's age, `3s ago`;
 * - absolute: the local clock with milliseconds, `14:23:45.123`, and the date when it is not today;
 * - iso: the UTC time as stored, `2026-11-22T14:23:45.123Z` (follow's default: sortable, zone-free);
 * - elapsed (follow only): since the first line printed, `+2m03.456s`;
 * - none.
 */
export type TimestampMode = 'relative' | 'absolute' | 'iso' | 'none';

/** The viewer's choices, in the order `t` cycles them. */
export const TIMESTAMP_MODES: readonly TimestampMode[] = ['relative', 'absolute', 'iso', 'none'];

export function nextTimestampMode(mode: TimestampMode): TimestampMode {
	return TIMESTAMP_MODES[(TIMESTAMP_MODES.indexOf(mode) + 1) % TIMESTAMP_MODES.length]!;
}

/** `just now`, `3s ago`, `2m ago`, `5h ago`, `3d ago`. A time ahead of ours (clock skew) is `just now`. */
export function relativeTime(time: number, now: number): string {
	const seconds = Math.floor((now - time) / 1000);
	if (seconds < 1) {
		return 'just now';
	}

	if (seconds < 60) {
		return `${seconds}s ago`;
	}

	if (seconds < 3600) {
		return `${Math.floor(seconds / 60)}m ago`;
	}

	if (seconds < 86_400) {
		return `${Math.floor(seconds / 3600)}h ago`;
	}

	return `${Math.floor(seconds / 86_400)}d ago`;
}

const two = (value: number) => String(value).padStart(2, '0');

/** Local `14:23:45.123` (at 100 lines a second, seconds alone look alike), with the date when not today. */
export function absoluteTime(time: number, now: number): string {
	const date = new Date(time);
	const today = new Date(now);
	const clock = `${two(date.getHours())}:${two(date.getMinutes())}:${two(date.getSeconds())}.${String(date.getMilliseconds()).padStart(3, '0')}`;
	const sameDay =
		date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
	return sameDay ? clock : `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${clock}`;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number of `length` decimal digits at `at`, or -1. */
function digits(text: string, at: number, length: number): number {
	let value = 0;
	for (let index = at; index < at + length; index++) {
		const digit = text.charCodeAt(index) - 48;
		if (digit < 0 || digit > 9) {
			return -1;
		}

		value = value * 10 + digit;
	}

	return value;
}

/**
 * True when `new Date(Date.parse(text)).toISOString()` is `text` itself: `YYYY-MM-DDTHH:MM:SS.mmmZ` with a
 * day the month has and a time of day before 24:00 (Date.parse reads Feb 30 as Mar 2 and 24:00 as the next
 * day). Checking costs a fraction of parsing and printing the time again, once per line.
 */
export function isExactIsoTime(text: string): boolean {
	if (
		text.length !== 24 ||
		text.charCodeAt(4) !== 45 ||
		text.charCodeAt(7) !== 45 ||
		text.charCodeAt(10) !== 84 ||
		text.charCodeAt(13) !== 58 ||
		text.charCodeAt(16) !== 58 ||
		text.charCodeAt(19) !== 46 ||
		text.charCodeAt(23) !== 90
	) {
		return false;
	}

	const year = digits(text, 0, 4);
	const month = digits(text, 5, 2);
	const day = digits(text, 8, 2);
	if (year < 0 || month < 1 || month > 12 || day < 1 || digits(text, 20, 3) < 0) {
		return false;
	}

	const hours = digits(text, 11, 2);
	const minutes = digits(text, 14, 2);
	const seconds = digits(text, 17, 2);
	if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) {
		return false;
	}

	if (day <= 28) {
		return true;
	}

	const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	return day <= DAYS_IN_MONTH[month - 1]! + (leap ? 1 : 0);
}

/** The time column's text for one record, padded so columns line up; empty in `none` mode. */
export function formatTimestamp(iso: string, mode: TimestampMode, now: number): string {
	if (mode === 'none') {
		return '';
	}

	// `follow`'s default, and the common case: a time already as toISOString writes it prints as it is.
	if (mode === 'iso' && isExactIsoTime(iso)) {
		return iso;
	}

	const time = Date.parse(iso);
	if (Number.isNaN(time)) {
		return '?'.padEnd(8);
	}

	if (mode === 'iso') {
		return new Date(time).toISOString();
	}

	return (mode === 'relative' ? relativeTime(time, now) : absoluteTime(time, now)).padEnd(mode === 'relative' ? 8 : 12);
}
