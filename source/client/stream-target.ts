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
	/**
	 * For URL sources, whose answer is not timed (see below): after this long without one, the wait is said
	 * (a notice), so a listener that accepts and never answers is not an unexplained `connecting`.
	 */
	slowAnswerMs?: number;
};

/*
 * A dbtail server is asked for a heartbeat every 4 s unless the user says otherwise (--heartbeat), so a dead
 * connection is said within 10 s (2.5 intervals) rather than the 37.5 s its 15 s default gives. Asking for a
 * shorter interval than the operator's cannot break what serve --heartbeat is for (staying under a proxy's
 * idle timeout: a shorter heartbeat stays under it too), and costs about 10 bytes a second. Other servers
 * cannot be asked: until they say otherwise, 15 s is expected, the common interval.
 */
const ASKED_HEARTBEAT_SECONDS = 4;
const EXPECTED_HEARTBEAT_MS = 15_000;

/**
 * A TCP connection, and a dbtail server's answer on it, take milliseconds; this long means nobody is there.
 * Other servers may hold their headers until their first event (a WSGI app sends them with the first chunk
 * it yields; Go's net/http with the first Write), and a listener that accepts and never answers looks the
 * same from here. Cutting such a server's quiet stream every 5 s would lose what it sends between tries, so
 * for URL sources only the connection is timed, the answer is left to the watchdog's deadline, and the
 * wait is said after 5 s; `follow --connect-timeout` cuts an attempt at its own deadline all the same.
 */
const ATTEMPT_TIMEOUT_MS = 5000;

/** Works out where a stream connects; throws a SourceError (protocol/source.ts) for a source that cannot be opened. */
export function resolveStreamTarget(options: LogStreamOptions): StreamTarget {
	const follow = options.follow ?? false;
	const {slowAnswerMs, ...timeouts} = options.timeouts ?? {};
	const source = parseSource(options.source, options.server);
	if (source.url) {
		const {url} = source;
		return {
			url: () => new URL(url),
			dialect: options.dialect ?? dialectFromUrl(url),
			endsOnCompletion: !follow,
			heartbeatMs: options.heartbeatSeconds === undefined ? EXPECTED_HEARTBEAT_MS : options.heartbeatSeconds * 1000,
			timeouts: {connectMs: ATTEMPT_TIMEOUT_MS, ...timeouts},
			slowAnswerMs: slowAnswerMs ?? ATTEMPT_TIMEOUT_MS,
		};
	}

	const {ref} = source;
	const server = source.server.href;
	const endsOnCompletion = !follow && ref.kind !== 'all';
	const heartbeatSeconds = options.heartbeatSeconds ?? ASKED_HEARTBEAT_SECONDS;
	const params = (reload: boolean, current: string | undefined): Record<string, string | number | undefined> => ({
		current: ref.run || ref.kind === 'all' ? undefined : current,
		initial: reload ? undefined : options.tail,
		from: reload ? undefined : options.since,
		level: options.level satisfies Level | undefined,
		follow: endsOnCompletion ? 'false' : undefined,
		heartbeat: heartbeatSeconds,
	});
	return {
		url: (reload, current) => streamUrl(server, ref, params(reload, current)),
		server,
		ref,
		dialect: options.dialect ?? 'dbtail',
		endsOnCompletion,
		heartbeatMs: heartbeatSeconds * 1000,
		timeouts: {connectMs: ATTEMPT_TIMEOUT_MS, answerMs: ATTEMPT_TIMEOUT_MS, ...timeouts},
	};
}
