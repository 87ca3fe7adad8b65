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

/** The time column's text for one record, padded so columns line up; empty in `none` mode. */
export function formatTimestamp(iso: string, mode: TimestampMode, now: number): string {
	if (mode === 'none') {
		return '';
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
