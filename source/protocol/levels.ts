/** Log levels, lowest first. The order is the rank used by level floors. */
export const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'] as const;

export type Level = (typeof LEVELS)[number];

const aliases: Record<string, Level> = {
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
};

/** Reads a level as servers write it (any case, `warning`, `err`, `critical`...); undefined when unknown. */
export function parseLevel(value: unknown): Level | undefined {
	if (typeof value !== 'string') {
		return undefined;
	}

	return aliases[value.trim().toLowerCase()];
}

export function levelRank(level: Level): number {
	return LEVELS.indexOf(level);
}

/** True when `level` is at or above the floor; no floor lets everything through. */
export function meetsFloor(level: Level, floor: Level | undefined): boolean {
	return floor === undefined || levelRank(level) >= levelRank(floor);
}
