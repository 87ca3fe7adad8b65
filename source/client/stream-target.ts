import type {Level} from '../protocol/levels.js';
import {parseStreamName, streamUrl, type StreamRef} from '../protocol/streams.js';
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

export class StreamSourceError extends Error {}

export function isUrlSource(source: string): boolean {
	return /^https?:\/\//i.test(source.trim());
}

/** An http(s) URL without credentials in it (they belong in a token, not in logs and `ps`). */
export function parseHttpUrl(value: string, what: string): URL {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new StreamSourceError(`${what} "${value}" is not a URL`);
	}

	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new StreamSourceError(`${what} "${value}" must start with http:// or https://`);
	}

	if (url.username || url.password) {
		throw new StreamSourceError(`${what} must not carry a user or password: pass --token or run "dbtail login"`);
	}

	return url;
}

export function resolveTarget(options: LogStreamOptions): StreamTarget {
	const follow = options.follow ?? false;
	if (isUrlSource(options.source)) {
		const url = parseHttpUrl(options.source.trim(), 'source');
		return {
			url: () => new URL(url),
			dialect: options.dialect ?? dialectFromUrl(url),
			endsOnCompletion: !follow,
			heartbeatMs: (options.heartbeatSeconds ?? OTHER_HEARTBEAT_MS / 1000) * 1000,
		};
	}

	let ref: StreamRef;
	try {
		ref = parseStreamName(options.source);
	} catch (error) {
		throw new StreamSourceError((error as Error).message);
	}

	if (!options.server) {
		throw new StreamSourceError(
			`no server for "${options.source}": pass --server URL, set DBTAIL_SERVER, or run "dbtail config set server URL"`,
		);
	}

	const server = parseHttpUrl(options.server, 'server').href;
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
