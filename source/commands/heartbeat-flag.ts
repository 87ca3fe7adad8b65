import {numberFlag} from './number-flag.js';

/** One line for both commands' help. */
export const HEARTBEAT_HELP = 'ask a dbtail server for a heartbeat every N seconds, 1 to 60 (default: the server\'s own)';

/** `--heartbeat N` as the viewer and follow read it; undefined leaves the server's own interval. */
export function heartbeatFlag(value: string | undefined): number | undefined {
	return numberFlag('heartbeat', value, {min: 1, max: 60, unit: 'seconds'});
}
