import process from 'node:process';
import {fetchCatalog} from '../client/catalog.js';
import {fetchRuns, fetchRunTasks} from '../client/runs.js';
import {INTERACTIVE_RECONNECT} from '../client/backoff.js';
import {historyReader} from '../client/history.js';
import {LogStream} from '../client/log-stream.js';
import {credentialsFor, resolveConnection} from '../config/connection.js';
import {profileSetting} from '../config/profile-setting.js';
import {DIALECTS, type Dialect} from '../client/types.js';
import type {StreamFactory} from '../model/pane.js';
import {RUNS_PAGE} from '../model/run-steps.js';
import type {RunAccess} from '../model/run-access.js';
import {catalogEntries} from '../model/source-catalog.js';
import {DEFAULT_SCROLLBACK} from '../model/pane-store.js';
import {NOTIFY_CHOICES, NOTIFY_MODES, type NotifyMode} from '../model/run-notices.js';
import {TIMESTAMP_MODES, type TimestampMode} from '../model/timestamps.js';
import {MAX_PANES, Workspace} from '../model/workspace.js';
import {sourceProblem} from '../protocol/source.js';
import type {Level} from '../protocol/levels.js';
import {HEARTBEAT_HELP, heartbeatFlag} from './heartbeat-flag.js';
import {levelFlag} from './level-flag.js';
import {numberFlag} from './number-flag.js';
import {parseCommandLine} from './parse-command-line.js';
import {streamStart} from './start-flags.js';
import {UsageError} from '../errors.js';

// Also the help of `dbtail --help`: the viewer is what `dbtail` runs, so its help lists the commands too.
const help = `
  dbtail: watch automation and pipeline logs live from a terminal

  Usage
    $ dbtail [options] [sources...]    full-screen viewer, one pane per source (1 to 9)
    $ dbtail follow <source>           plain lines for pipes and CI; exits with the run's result
    $ dbtail runs <source>             an automation's or pipeline's runs, with counts
    $ dbtail serve                     the reference log-stream server (SQLite or PostgreSQL)
    $ dbtail demo                      server + simulated workload + viewer
    $ dbtail config set server <url>   save the default server in the profile
    $ dbtail login                     save a token (read from stdin or a prompt)

  Run "dbtail <command> --help" for a command's own flags.

  The viewer shows each source on its own live stream. With no source it opens the source picker.
  Press ? in the viewer for every key.

  Sources
    automation/<id>  task/<id>  pipeline/<id>  artifact/<id>  all   (add ?run=<runId> to pin a run)
    or the http(s):// URL of any SSE log endpoint

  Viewer options
    --server URL          dbtail server (else DBTAIL_SERVER, else the profile's; see "dbtail config")
    --token TOKEN         bearer token (else DBTAIL_TOKEN, else the profile's; see "dbtail login")
    --token-command CMD   command that prints a token; run at start without one, and again on a 401
    --profile NAME        profile holding the server and token (else DBTAIL_PROFILE, else "default")
    --scrollback N        lines kept per pane (default 10000)
    --tail N              each pane starts with the last N lines of its run (default: the scrollback)
    --since 5m|2h|ISO     each pane starts at this time (not with --tail)
    --level LEVEL         start with this level floor: TRACE DEBUG INFO WARN ERROR FATAL (+/- change it)
    --timestamps MODE     relative (age, default), absolute (local, ms), iso (UTC) or none (t cycles
                          them); the profile's "timestamps" setting changes the default
    --dialect NAME        ${DIALECTS.slice(0, -1).join(', ')} or ${DIALECTS.at(-1)!} (default: detected)
    --heartbeat N         ${HEARTBEAT_HELP}
    --notify MODE         when a run in a pane you are not on ends or logs its first ERROR: both (the
                          bell and a desktop notification, OSC 9 and 777; default), bell, desktop or off;
                          the profile's "notify" setting changes the default
    --quiet-mark N        a pause longer than N seconds in a pane's live stream is marked before the
                          next line, dim: ── quiet 2m14s ── (default 30, 0 off; the profile's
                          "quiet-mark" setting changes the default)
    --no-color            no colors (also when NO_COLOR is set)
    --help, -h            show this help
    --version             show the version

  Examples
    $ dbtail --server http://127.0.0.1:8080 automation/nightly-etl task/extract
    $ dbtail all
`;

export type ViewerOptions = {
	sources: string[];
	server?: string;
	token?: string;
	tokenCommand?: string;
	/** The origin a saved token belongs to (see resolveConnection); URL sources elsewhere get no token. */
	tokenOrigin?: string;
	scrollback?: number;
	/** Initial level floor of every pane (client side, so `-` can lower it again). */
	level?: Level;
	timestamps?: TimestampMode;
	dialect?: Dialect;
	/** Heartbeat to ask a dbtail server for; undefined leaves the server's own. */
	heartbeatSeconds?: number;
	/** Where each pane's stream starts (`--tail`, `--since`); by default the newest `scrollback` lines. */
	tail?: number;
	since?: string;
	/** The bell and desktop notifications (`--notify`); default both. */
	notify?: NotifyMode;
	/** `--quiet-mark`: seconds of quiet in a pane's live stream marked in line; default 30, 0 off. */
	quietMark?: number;
	/** False for no colors; default: on unless NO_COLOR is set. */
	color?: boolean;
	/** Where panes get their streams; the real LogStream unless a test injects another. */
	streamFactory?: StreamFactory;
};

/**
 * Feeds for panes: one real LogStream per source, following run after run, and beside it the source's
 * history (on a dbtail server; none elsewhere), with the same credentials, to fill the pane's window from.
 */
export function logStreamFactory(
	options: Pick<ViewerOptions, 'server' | 'token' | 'tokenCommand' | 'tokenOrigin' | 'dialect' | 'heartbeatSeconds' | 'scrollback' | 'tail' | 'since'>,
): StreamFactory {
	return (source) => {
		const credentials = credentialsFor(options, source);
		const stream = new LogStream({
			source,
			server: options.server,
			...credentials,
			dialect: options.dialect,
			heartbeatSeconds: options.heartbeatSeconds,
			// A person is watching: back soon after an outage (scripts keep the longer cap).
			reconnect: INTERACTIVE_RECONNECT,
			// Only what the pane keeps: opening a 150,000-line run streamed all of it to keep the last 10,000.
			tail: options.since === undefined ? (options.tail ?? options.scrollback ?? DEFAULT_SCROLLBACK) : undefined,
			since: options.since,
			follow: true,
		});
		return {stream, history: historyReader({source, server: options.server, ...credentials, dialect: options.dialect})};
	};
}

/** The server's run lists and task summaries for `[`, `]`, `H` and `i`; none without a server. */
export function runAccess(options: Pick<ViewerOptions, 'server' | 'token' | 'tokenCommand' | 'tokenOrigin'>): RunAccess | undefined {
	const {server} = options;
	if (!server) {
		return undefined;
	}

	const credentials = credentialsFor(options, server);
	return {
		runs: async (entity, before, grep) => fetchRuns({server, ...credentials, kind: entity.kind, id: entity.id, before, grep, limit: RUNS_PAGE}),
		tasks: async (runId) => fetchRunTasks({server, ...credentials}, runId),
	};
}

/**
 * Runs the viewer until the user quits; resolves with the exit code once the terminal is restored.
 * Bad sources, then a missing terminal, are UsageErrors, thrown before the screen is touched.
 */
export async function runViewer(options: ViewerOptions): Promise<number> {
	if (options.sources.length > MAX_PANES) {
		throw new UsageError(`${options.sources.length} sources given: the viewer shows ${MAX_PANES} panes at most`);
	}

	for (const source of options.sources) {
		const problem = sourceProblem(source, options.server);
		if (problem) {
			throw new UsageError(problem);
		}
	}

	// After the checks above, so a mistake on the command line is named even where no terminal is.
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new UsageError('the viewer needs a terminal: for pipes and CI use "dbtail follow <source>"');
	}

	const workspace = new Workspace({
		factory: options.streamFactory ?? logStreamFactory(options),
		scrollback: options.scrollback,
		level: options.level,
		timestamps: options.timestamps,
		server: options.server,
		runs: runAccess(options),
		quietMark: options.quietMark,
	});
	for (const source of options.sources) {
		workspace.open(source);
	}

	workspace.focusIndex(0);
	const color = options.color ?? !process.env['NO_COLOR'];
	// React's development build (the default when NODE_ENV is unset) keeps a performance entry per
	// render and checks far more: 600 busy frames grew the heap by 115 MB with it, and by nothing without. It
	// must be chosen before React is first loaded, hence the import here rather than at the top.
	process.env['NODE_ENV'] ??= 'production';
	const {runApp} = await import('../ui/run-app.js');
	return runApp({
		workspace,
		theme: {color},
		notify: options.notify,
		loadSources: async () => catalogEntries(await fetchCatalog(options)),
	});
}

/** `--notify`, else the profile's setting; a profile's word the viewer does not know is a mistake to name. */
function notifyMode(flag: string | undefined, profile: string | undefined): NotifyMode | undefined {
	const mode = flag ?? profileSetting('notify', profile);
	if (mode !== undefined && !NOTIFY_MODES.includes(mode as NotifyMode)) {
		throw new UsageError(`the profile's notify setting must be ${NOTIFY_CHOICES}, not "${mode}" (dbtail config set notify both)`);
	}

	return mode as NotifyMode | undefined;
}

/** `--quiet-mark`, else the profile's setting: whole seconds, 0 off. */
function quietMark(flag: string | undefined, profile: string | undefined): number | undefined {
	if (flag !== undefined) {
		return numberFlag('quiet-mark', flag, {whole: true, unit: 'seconds'});
	}

	const saved = profileSetting('quietMark', profile);
	if (saved !== undefined && !/^\d{1,9}$/.test(saved)) {
		throw new UsageError(`the profile's quiet-mark setting must be a whole number of seconds (0: off), not "${saved}" (dbtail config set quiet-mark 30)`);
	}

	return saved === undefined ? undefined : Number(saved);
}

/** The profile's timestamps setting, when the viewer has that mode (`elapsed` is follow's alone). */
function viewerMode(saved: string | undefined): TimestampMode | undefined {
	return TIMESTAMP_MODES.includes(saved as TimestampMode) ? (saved as TimestampMode) : undefined;
}

export default async function viewer(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail', help, argv, {
		server: {type: 'string'},
		token: {type: 'string'},
		tokenCommand: {type: 'string'},
		profile: {type: 'string'},
		scrollback: {type: 'string'},
		level: {type: 'string'},
		timestamps: {type: 'string', choices: [...TIMESTAMP_MODES]},
		dialect: {type: 'string', choices: [...DIALECTS]},
		heartbeat: {type: 'string'},
		notify: {type: 'string', choices: [...NOTIFY_MODES]},
		quietMark: {type: 'string'},
		tail: {type: 'string'},
		since: {type: 'string'},
		color: {type: 'boolean', default: true},
	});
	const {flags} = cli;
	const scrollback = numberFlag('scrollback', flags.scrollback, {whole: true, aboveMin: true});
	const {tail} = streamStart(flags.tail, flags.since);
	const connection = resolveConnection(flags);
	return runViewer({
		sources: cli.input,
		...connection,
		scrollback,
		level: levelFlag(flags.level),
		timestamps: (flags.timestamps ?? viewerMode(profileSetting('timestamps', flags.profile))) as TimestampMode | undefined,
		dialect: flags.dialect as Dialect | undefined,
		heartbeatSeconds: heartbeatFlag(flags.heartbeat),
		notify: notifyMode(flags.notify, flags.profile),
		quietMark: quietMark(flags.quietMark, flags.profile),
		tail,
		since: flags.since,
		color: flags.color && !process.env['NO_COLOR'],
	});
}
