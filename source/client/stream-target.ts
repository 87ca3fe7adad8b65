import type {Level} from '../protocol/levels.js';
import {parseSource} from '../protocol/source.js';
import {streamUrl, type StreamRef} from '../protocol/streams.js';
import {dialectFromUrl} from './dialects/index.js';
import type {Timeouts} from './sse-connection.js';
import type {Dialect, LogStreamOptions} from './types.js';

/** Where a LogStream connects, worked out from its options. Errors carry a message for the user. */
export type StreamTarget = {
	/**
	 * The SSE URL; `reload` leaves out `initial`/`from` so the whole current run comes again; `current` is
	 * the run followed, for a stream that resumes (the server would otherwise go on with the run of its last
	 * line, which can be an older one).
	 */
	url(reload: boolean, current?: string): URL;
	/** Set for stream names on a dbtail server: history (gap backfill) is reachable. */
	server?: string;
	ref?: StreamRef;
	/** Known before the first event: forced, a stream name (dbtail), or a recognizable URL. */
	dialect?: Dialect;
	/** Completion of the followed run ends the stream (`follow: false`, and not `all`). */
	endsOnCompletion: boolean;
	/** The heartbeat interval expected before the server says its own. */
	heartbeatMs: number;
	/** How long one attempt may take to connect and to be answered. */
	timeouts: Timeouts;
};

/*
 * No heartbeat is asked for unless the user does (--heartbeat): the server's own setting stands, since an
 * operator may have set it to stay under a proxy's timeout. Until the server announces its interval
 * (dbtail's `connected`), 15 s is expected: dbtail's default and the common one elsewhere.
 */
const EXPECTED_HEARTBEAT_MS = 15_000;

/**
 * A TCP connection, and a dbtail server's answer on it, take milliseconds; this long means nobody is there.
 * Other servers may hold their headers until their first event, so for URL sources only the connection is
 * timed here and the answer is left to the watchdog's deadline.
 */
const ATTEMPT_TIMEOUT_MS = 5000;

/** Works out where a stream connects; throws a SourceError (protocol/source.ts) for a source that cannot be opened. */
export function resolveStreamTarget(options: LogStreamOptions): StreamTarget {
	const follow = options.follow ?? false;
	const heartbeatMs = options.heartbeatSeconds === undefined ? EXPECTED_HEARTBEAT_MS : options.heartbeatSeconds * 1000;
	const source = parseSource(options.source, options.server);
	if (source.url) {
		const {url} = source;
		return {
			url: () => new URL(url),
			dialect: options.dialect ?? dialectFromUrl(url),
			endsOnCompletion: !follow,
			heartbeatMs,
			timeouts: {connectMs: ATTEMPT_TIMEOUT_MS, ...options.timeouts},
		};
	}

	const {ref} = source;
	const server = source.server.href;
	const endsOnCompletion = !follow && ref.kind !== 'all';
	const params = (reload: boolean, current: string | undefined): Record<string, string | number | undefined> => ({
		current: ref.run || ref.kind === 'all' ? undefined : current,
		initial: reload ? undefined : options.tail,
		from: reload ? undefined : options.since,
		level: options.level satisfies Level | undefined,
		follow: endsOnCompletion ? 'false' : undefined,
		heartbeat: options.heartbeatSeconds,
	});
	return {
		url: (reload, current) => streamUrl(server, ref, params(reload, current)),
		server,
		ref,
		dialect: options.dialect ?? 'dbtail',
		endsOnCompletion,
		heartbeatMs,
		timeouts: {connectMs: ATTEMPT_TIMEOUT_MS, answerMs: ATTEMPT_TIMEOUT_MS, ...options.timeouts},
	};
}
