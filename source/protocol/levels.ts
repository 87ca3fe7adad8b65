/** Log levels, lowest first. The order is the rank used by level floors. */
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type Level = (typeof LEVELS)[number];

// A Map, not an object: a name such as `constructor` or `__proto__` must not find Object.prototype's members.
const aliases = new Map<string, Level>(Object.entries({
	trace: 'TRACE',
	debug: 'DEBUG',
	info: 'INFO',
	information: 'INFO',
	notice: 'INFO',
	warn: 'WARN',
	warning: 'WARN',
	error: 'ERROR',
	err: 'ERROR',
	fatal: 'FATAL',
	critical: 'FATAL',
	crit: 'FATAL',
	panic: 'FATAL',
	emergency: 'FATAL',
	alert: 'FATAL',
} satisfies Record<string, Level>));

/** Reads a level as servers write it (any case, `warning`, `err`, `critical`...); undefined when unknown. */
export function parseLevel(value: unknown): Level | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	return aliases.get(value.trim().toLowerCase());
}

export function levelRank(level: Level): number {
	return LEVELS.indexOf(level);
}

/** True when `level` is at or above the floor; no floor lets everything through. */
export function meetsFloor(level: Level, floor: Level | undefined): boolean {
	return floor === undefined || levelRank(level) >= levelRank(floor);
}
