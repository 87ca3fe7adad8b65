import type {Level} from '../protocol/levels.js';
import {parseSource} from '../protocol/source.js';
import {streamUrl, type StreamRef} from '../protocol/streams.js';
import {dialectFromUrl} from './dialects/index.js';
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
};

/*
 * A dbtail server is asked for a heartbeat every 5 s (its default is 15), so a dead connection shows
 * within 12.5 s. Other servers cannot be asked; 15 s is the common interval.
 */
const ASKED_HEARTBEAT_SECONDS = 5;
const OTHER_HEARTBEAT_MS = 15_000;

/** Works out where a stream connects; throws a SourceError (protocol/source.ts) for a source that cannot be opened. */
export function resolveStreamTarget(options: LogStreamOptions): StreamTarget {
	const follow = options.follow ?? false;
	const source = parseSource(options.source, options.server);
	if (source.url) {
		const {url} = source;
		return {
			url: () => new URL(url),
			dialect: options.dialect ?? dialectFromUrl(url),
			endsOnCompletion: !follow,
			heartbeatMs: (options.heartbeatSeconds ?? OTHER_HEARTBEAT_MS / 1000) * 1000,
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
	};
}
