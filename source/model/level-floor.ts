import type {Level} from '../protocol/levels.js';
import {levelRank} from '../protocol/levels.js';

/** The floors `+` / `-` step through; undefined is ALL (TRACE included). */
export const LEVEL_FLOORS: ReadonlyArray<Level | undefined> = [undefined, 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

export function stepLevelFloor(floor: Level | undefined, step: 1 | -1): Level | undefined {
	// A floor given on the command line may sit between steps (TRACE, FATAL): start from the nearest.
	let index = LEVEL_FLOORS.indexOf(floor);
	if (index < 0) {
		index = floor === undefined || levelRank(floor) < levelRank('DEBUG') ? 0 : LEVEL_FLOORS.length - 1;
	}

	const next = Math.min(LEVEL_FLOORS.length - 1, Math.max(0, index + step));
	return LEVEL_FLOORS[next];
}

export function levelFloorName(floor: Level | undefined): string {
	return floor ?? 'ALL';
}
