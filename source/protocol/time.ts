const UNITS: Record<string, number> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000};

/**
 * Reads a point in time as users write it: a duration back from `now` (`30s`, `5m`, `2h`, `1d`) or an
 * ISO 8601 time. Undefined when it is neither.
 */
export function parseSince(value: string, now = Date.now()): Date | undefined {
	const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
	if (match) {
		return new Date(now - Number(match[1]) * UNITS[match[2]!]!);
	}

	if (!/^\d{4}-\d{2}-\d{2}/.test(value.trim())) {
		return undefined;
	}

	const date = new Date(value);
	return Number.isNaN(date.getTime()) ? undefined : date;
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
