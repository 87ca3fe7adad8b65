import {parseSince} from '../protocol/time.js';
import {UsageError} from '../errors.js';
import {numberFlag} from './number-flag.js';

/** Where a stream starts, as `--tail` and `--since` say it: `since` as typed (the server reads it), and as a time. */
export type StreamStart = {tail?: number; since?: string; sinceTime?: Date};

/**
 * `--tail N` and `--since 5m|2h|ISO`, read the one way for every command that starts a stream (follow, the
 * viewer): a bad value, or both at once, is one line naming the problem.
 */
export function streamStart(tailText: string | undefined, sinceText: string | undefined): StreamStart {
	const tail = numberFlag('tail', tailText, {whole: true, unit: 'lines'});
	const sinceTime = sinceText === undefined ? undefined : parseSince(sinceText);
	if (sinceText !== undefined && !sinceTime) {
		throw new UsageError(`--since wants a duration like 5m or 2h, or an ISO time, got "${sinceText}"`);
	}

	// Both say where the stream starts; silently preferring one would show a user lines they did not ask for.
	if (tail !== undefined && sinceTime !== undefined) {
		throw new UsageError('--tail and --since both say where to start: give one of them');
	}

	return {tail, since: sinceText, sinceTime};
}
