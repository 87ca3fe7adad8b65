const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/**
 * The times a record may carry: years 1970 to 9999 (UTC). Within them every time is a 24-character ISO
 * string (`2026-02-03T04:05:06.789Z`), so times sort as text, as `from=` compares them.
 */
export const EARLIEST_TIME_MS = 0;
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const inRange = (ms: number) => Number.isFinite(ms) && ms >= EARLIEST_TIME_MS && ms <= LATEST_TIME_MS;

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const isLeap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) => (month === 2 && isLeap(year) ? 29 : DAYS_IN_MONTH[month - 1]!);

/** Whether year-month-day is a day of the calendar (Date itself rolls 2026-02-30 over into March). */
function isCalendarDay(year: number, month: number, day: number): boolean {
	return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month);
}

const RFC_3339 = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:Z|([+-])(\d{2}):(\d{2}))$/i;

/**
 * An RFC 3339 time with its zone (`Z` or `+hh:mm`), a real calendar day and clock time, within 1970 to
 * 9999; undefined otherwise. Fractions past milliseconds are cut (records keep milliseconds).
 */
export function parseRfc3339(text: string): Date | undefined {
	const match = RFC_3339.exec(text);
	if (!match) {return undefined;}
	const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
	const millis = Number((match[7] ?? '0').padEnd(3, '0').slice(0, 3));
	const sign = match[8] === '-' ? -1 : 1;
	const [offsetHours, offsetMinutes] = [Number(match[9] ?? 0), Number(match[10] ?? 0)];
	if (!isCalendarDay(year, month, day) || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) {return undefined;}
	// setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	date.setUTCHours(hour, minute, second, millis);
	const ms = date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000;
	return inRange(ms) ? new Date(ms) : undefined;
}

/** A record's `timestamp` as a producer sends it: RFC 3339 with a zone, or epoch milliseconds, in 1970 to 9999. */
export function parseRecordTime(value: unknown): Date | undefined {
	if (typeof value === 'number') {return inRange(value) ? new Date(value) : undefined;}
	return typeof value === 'string' ? parseRfc3339(value) : undefined;
}

/**
 * Reads a point in time as users write it: a duration back from `now` (`30s`, `5m`, `2h`, `1d`) or an
 * ISO 8601 time (as Date reads it: a date alone is UTC midnight, a time without a zone local time). Undefined when it is neither,
 * or when it falls outside 1970 to 9999.
 */
export function parseSince(value: string, now = Date.now()): Date | undefined {
	const text = value.trim();
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
	if (match) {
		const ms = now - Number(match[1]) * UNITS[match[2]!]!;
		return inRange(ms) ? new Date(ms) : undefined;
	}

	const zoned = parseRfc3339(text);
	if (zoned) {return zoned;}
	const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
	if (!day || !isCalendarDay(Number(day[1]), Number(day[2]), Number(day[3]))) {
		return undefined;
	}

	const date = new Date(text);
	return inRange(date.getTime()) ? date : undefined;
}

/** `2m13s`, `850ms`, `1h02m`: short durations for status lines. */
export function formatDuration(ms: number): string {
	if (ms < 1000) {
		return `${Math.max(0, Math.round(ms))}ms`;
	}

	const totalSeconds = Math.round(ms / 1000);
	const hours = Math.floor(totalSeconds / 3600);
	const minutes = Math.floor((totalSeconds % 3600) / 60);
	const seconds = totalSeconds % 60;
	if (hours > 0) {
		return `${hours}h${String(minutes).padStart(2, '0')}m`;
	}

	return minutes > 0 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${seconds}s`;
}
