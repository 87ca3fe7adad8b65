import type {Level} from '../protocol/levels.js';
import type {LogRecord, RunResult, RunStatus} from '../protocol/record.js';

/** The connection, as a UI shows it. Only `completed`, `failed` and `ended` are final. */
export type ConnectionState =
	| {kind: 'connecting'; attempt: number}
	| {kind: 'live'; since: number}
	| {kind: 'reconnecting'; attempt: number; retryAt: number; lastError: string}
	/**
	 * The server says the source does not exist yet (a 404 for an entity, task or artifact it has never
	 * seen): asked again at `retryAt`, and streamed from its first line once it appears. `source` is the
	 * stream name (`automation/x`), `reason` the server's answer.
	 */
	| {kind: 'waiting'; source: string; retryAt: number; reason: string}
	| {kind: 'completed'; result: RunResult; durationMs?: number; runId?: string}
	| {kind: 'failed'; reason: string}
	/** The server said there is nothing more to stream (HTTP 204, the spec's "stop"): final, but no run result. */
	| {kind: 'ended'; reason: string};

/** The run a stream currently follows (dbtail dialect only; others have no runs). */
export type RunInfo = {runId: string; status: RunStatus; durationMs?: number};

/** Things worth telling the user that are not records: gaps filled, history purged, epoch reset... */
export type StreamNotice = {
	kind:
		| 'truncated'
		| 'gap-filled'
		| 'lines-missing'
		| 'epoch-reset'
		| 'run-started'
		| 'slow-consumer'
		| 'token-refreshed'
		| 'dialect'
		| 'unreadable'
		| 'resume-id'
		| 'slow-answer';
	message: string;
};

export type StreamStats = {
	/** Connections made again after the first (refused attempts do not count). */
	reconnects: number;
	records: number;
	duplicatesDropped: number;
	gapsFilled: number;
	/** When the last record was delivered (epoch ms); undefined before the first. A live stream is quiet since then. */
	lastRecordAt?: number;
	/** When the last byte arrived (heartbeats included); undefined before the first. */
	lastByteAt?: number;
};

/** The wire dialects the client reads (docs/protocol.md, Other servers the client reads). */
export const DIALECTS = ['dbtail', 'stratal', 'datashop', 'generic'] as const;
export type Dialect = (typeof DIALECTS)[number];

export type LogStreamOptions = {
	/** A stream name (`automation/nightly-etl`, `all`) on `server`, a full http(s) URL of any SSE endpoint, or a ws(s) URL. */
	source: string;
	/** Base URL of a dbtail server; needed for stream names. */
	server?: string;
	token?: string;
	/** A command whose stdout is a fresh token; run once on a 401. */
	tokenCommand?: string;
	/** Forced dialect; detected from the stream when not given. */
	dialect?: Dialect;
	/** Server-side level floor. */
	level?: Level;
	/** With no resume point: the last n records of the current run first. */
	tail?: number;
	/** With no resume point: start at this time (`5m`, `2h`, ISO). */
	since?: string;
	/** Stay for the next run after this one completes (the viewer does; `dbtail follow` only with --forever). */
	follow?: boolean;
	/**
	 * Heartbeat to ask a dbtail server for (1..60 s; default 4, so a dead connection is said within 10 s).
	 * The watchdog goes by what the server announces; other servers are expected to send something every
	 * 15 s unless this says otherwise. No bytes for 2.5 intervals means a dead connection.
	 */
	heartbeatSeconds?: number;
	/**
	 * Reconnect delays (defaults 500 ms to 30 s; the viewer passes INTERACTIVE_RECONNECT from backoff.ts);
	 * tests shorten them. The server's `retry:` is still a floor. `waitDelayMs` is the pause between asks
	 * while a source does not exist yet (default 3 s).
	 */
	reconnect?: {minDelayMs?: number; maxDelayMs?: number; waitDelayMs?: number};
	/**
	 * Wait for a source that does not exist yet instead of failing on its 404 (default: `follow`). Only an
	 * unpinned entity, task or artifact on a server that answers as dbtail waits; any other 404 is final.
	 */
	waitForSource?: boolean;
	/**
	 * Give up (a `failed` state) after this long without reaching the server, counted from the start or from
	 * the end of the last connection. Undefined: never (the viewer). `dbtail follow --connect-timeout`.
	 */
	giveUpAfterMs?: number;
	/**
	 * An attempt fails when the TCP connection is not made within `connectMs` (default 5 s), or when the
	 * answer's headers have not come `answerMs` after that (default 5 s for stream names on a dbtail server,
	 * which answers at once; for URL sources the heartbeat deadline, since some servers send their headers
	 * only with the first event). `slowAnswerMs` (default 5 s): when a URL source's wait for an answer is said.
	 */
	timeouts?: {connectMs?: number; answerMs?: number; slowAnswerMs?: number};
	/**
	 * Keep each record's message as the server sent it, control characters included: only for output that
	 * escapes them itself (`follow --json`). Ids, labels and metadata are neutralized all the same.
	 */
	rawMessages?: boolean;
	/**
	 * ws:// and wss:// sources: the query parameter that carries the last timestamp shown on every connection
	 * (default `since`; `none` sends none). Other sources carry ids and ignore it.
	 */
	resumeParam?: string;
};

export type LogStreamEvents = {
	record: [LogRecord];
	state: [ConnectionState];
	run: [RunInfo];
	notice: [StreamNotice];
};
