import {LEVELS, parseLevel, type Level} from '../protocol/levels.js';
import {UsageError} from '../errors.js';

/** `--level` as the viewer and follow read it: any alias parseLevel knows, or one message for both. */
export function levelFlag(value: string | undefined): Level | undefined {
	if (value === undefined) {
		return undefined;
	}

	const level = parseLevel(value);
	if (!level) {
		throw new UsageError(`unknown --level "${value}": use one of ${LEVELS.join(', ')}`);
	}

	return level;
}
