import {numberFlag} from './number-flag.js';

/** One line for both commands' help. */
export const HEARTBEAT_HELP = 'ask a dbtail server for a heartbeat every N seconds, 1 to 60 (default 4: a dead connection is said within 10 s)';

/** `--heartbeat N` as the viewer and follow read it; undefined asks for the client's default (client/stream-target.ts). */
export function heartbeatFlag(value: string | undefined): number | undefined {
	return numberFlag('heartbeat', value, {min: 1, max: 60, unit: 'seconds'});
}
