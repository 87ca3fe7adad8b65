import {parseLevel, type Level} from '../../protocol/levels.js';

/*
 * The level of a plain-text line written as logfmt (`time=... level=warn msg="disk low"`), the format of
 * Go's slog and logrus, Heroku and many small services: without it every such line reads as INFO. Only the
 * first level key counts, and only as a whole `key=value` token, so `msg="level=error"` further on or
 * `xlevel=error` do not. A value that is not a level name leaves the line at the caller's default.
 */
const LOGFMT_LEVEL = /(?:^|[\s,;])(?:level|lvl|severity)=(?:"([^"]*)"|([^\s",;]+))/;

export function logfmtLevel(line: string): Level | undefined {
	// Cheap test first: nearly all plain lines carry no `=` at all.
	if (!line.includes('=')) {
		return undefined;
	}

	const match = LOGFMT_LEVEL.exec(line);
	return match ? parseLevel(match[1] ?? match[2]) : undefined;
}
