import process from 'node:process';
import type {ChalkInstance} from 'chalk';
import {historyReader} from '../client/history.js';
import {DIALECTS, type Dialect} from '../client/types.js';
import {credentialsFor, resolveConnection} from '../config/connection.js';
import {profileSetting} from '../config/profile-setting.js';
import {TIMESTAMP_STYLES, type TimestampStyle} from '../follow/line-format.js';
import {RecordFilter} from '../follow/record-filter.js';
import type {LinePattern} from '../model/line-pattern.js';
import {runFollow} from '../follow/run-follow.js';
import {isSourceGlob} from '../follow/source-glob.js';
import {listSources} from '../follow/source-list.js';
import {runGrep} from '../follow/grep-run.js';
import {parseRunChoice, pinRun} from '../follow/run-choice.js';
import {LEVELS} from '../protocol/levels.js';
import {isUrlSource, parseSource, sourceProblem} from '../protocol/source.js';
import {HEARTBEAT_HELP, heartbeatFlag} from './heartbeat-flag.js';
import {levelFlag} from './level-flag.js';
import {numberFlag} from './number-flag.js';
import {streamStart} from './start-flags.js';
import {parseCommandLine} from './parse-command-line.js';
import {UsageError} from '../errors.js';

const help = `
  Usage
    $ dbtail follow <source> [options]
    $ dbtail follow <source> <source>... [options]

  Prints a stream as plain lines and exits with the run's result: 0 succeeded, 1 failed or cancelled,
  2 usage or stream error (bad source, refused token, 403, 404 without --wait, no connection for
  --connect-timeout), 3 ended by the server with no run result (HTTP 204), 130 interrupted.
  With --grep it searches instead and exits as grep does: 0 a line matched, 1 none did, 2 error.

  Several sources are each followed on their own stream and printed as their lines arrive, each line
  starting with [source] in that source's color; the exit status is the worst of their ends
  (2, then 1, then 3, then 0) once all have ended. One source prints no [source].

  Sources
    automation/<id>  task/<id>  pipeline/<id>  artifact/<id>  all   (on --server)
    http(s)://...    any SSE endpoint (dbtail, Stratal, Datashop, or JSON/text lines)
    ws(s)://...      a WebSocket log stream (Stratal's /api/v1/logs/stream/ws, or JSON/text frames)
    'task/load-*'    a glob (* any characters, ? one) over the server's catalog, matched at start
                     (none matching: exit 2); with --forever, again every 3 s, following new matches.
                     Quote it, or the shell may expand it

  Options
    --server URL          dbtail server (else DBTAIL_SERVER, else the profile)
    --token TOKEN         bearer token (else DBTAIL_TOKEN, else the profile; see "dbtail login")
    --token-command CMD   command that prints a token; run at start without one, and again on a 401
    --profile NAME        saved profile to use (else DBTAIL_PROFILE, else "default")
    --json                one normalized JSON record per line; the message as sent (JSON escapes
                          its control characters), where plain lines show them neutralized;
                          with several sources each record's "source" says which
    --level LEVEL         minimum level: ${LEVELS.join(', ')}
    --filter REGEX        only lines matching (repeatable; smart-case; RE2 syntax, as the viewer's /:
                          linear time, so no backreferences or lookarounds)
    --exclude REGEX       drop lines matching (repeatable; smart-case; RE2 syntax)
    --tail N              start with the last N lines of the current run (not with --since)
    --since 5m|2h|ISO     start at this time (other servers' streams: older lines are dropped)
    --timestamps STYLE    iso (UTC, default), absolute (local, ms), relative (age), elapsed (since the
                          first line) or none; the profile's "timestamps" setting changes the default
    --no-color            no colors (also NO_COLOR); colors only on a terminal unless FORCE_COLOR
    --forever             stay for the next run instead of exiting when this one completes;
                          implies --wait, and keeps trying to connect unless --connect-timeout is given
    --wait                a source that does not exist yet (a 404 for an automation before its first
                          run, a task that has not logged) is waited for, then followed from its first line
    --connect-timeout S   exit 2 after S seconds without reaching the server, at start or after losing
                          it (default 60; 0 keeps trying)
    --dialect NAME        ${DIALECTS.slice(0, -1).join(', ')} or ${DIALECTS.at(-1)!} (default: detected)
    --heartbeat N         ${HEARTBEAT_HELP}
    --resume-param NAME   ws(s):// sources: the query parameter that carries the last timestamp shown
                          on every connection (default since; none sends none)
    --run RUN             an earlier run: previous (the one before the newest), a number of runs back
                          (2 = two before the newest), or a run id (r-4019); a task or artifact is read
                          in that run of its automation or pipeline; several sources: each its own
    --grep REGEX          print the lines of the whole run that match (the newest run, or --run's), read
                          from the server's history, then exit (smart-case; RE2 syntax, as --filter);
                          with --tail N only the last N matches; one source only

  Connection notices go to stderr; stdout carries only log lines.
`;

function compile(patterns: string[], flag: string): LinePattern[] {
	return patterns.map((pattern) => {
		try {
			return RecordFilter.compile(pattern);
		} catch (error) {
			throw new UsageError(`bad ${flag} pattern "${pattern}": ${(error as Error).message}`);
		}
	});
}

/*
 * A CI job must not hang on an address where nothing listens, so follow gives up after a time without
 * reaching the server: time, not attempts, because attempts are spaced by a jittered backoff, Retry-After
 * and timeouts, and a job's budget is a time. 60 s rides out a server's restart. --forever is a service
 * that must outlast an outage, so it keeps trying unless told otherwise.
 */
const DEFAULT_CONNECT_TIMEOUT_SECONDS = 60;

function giveUpAfter(seconds: number | undefined, forever: boolean): number | undefined {
	const chosen = seconds ?? (forever ? 0 : DEFAULT_CONNECT_TIMEOUT_SECONDS);
	return chosen === 0 ? undefined : chosen * 1000;
}

/** A Chalk when lines should be colored: a terminal or FORCE_COLOR, and neither --no-color nor NO_COLOR. */
async function colors(wanted: boolean, isTty: boolean): Promise<ChalkInstance | undefined> {
	if (!wanted || (process.env.NO_COLOR ?? '') !== '' || !('FORCE_COLOR' in process.env || isTty)) {
		return undefined;
	}

	// Loaded only when used: pipes and CI never pay for it.
	const {Chalk, supportsColor} = await import('chalk');
	const level = supportsColor ? supportsColor.level : 0;
	return level === 0 ? undefined : new Chalk({level});
}

/** --timestamps, else the profile's setting (where follow can show it), else iso. */
function timestampStyle(flag: string | undefined, profile: string | undefined): TimestampStyle {
	const saved = flag ?? profileSetting('timestamps', profile);
	return TIMESTAMP_STYLES.includes(saved as TimestampStyle) ? (saved as TimestampStyle) : 'iso';
}

export default async function follow(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail follow', help, argv, {
		server: {type: 'string'},
		token: {type: 'string'},
		tokenCommand: {type: 'string'},
		profile: {type: 'string'},
		json: {type: 'boolean', default: false},
		level: {type: 'string'},
		filter: {type: 'string', isMultiple: true},
		exclude: {type: 'string', isMultiple: true},
		tail: {type: 'string'},
		since: {type: 'string'},
		timestamps: {type: 'string', choices: [...TIMESTAMP_STYLES]},
		color: {type: 'boolean', default: true},
		forever: {type: 'boolean', default: false},
		wait: {type: 'boolean', default: false},
		connectTimeout: {type: 'string'},
		dialect: {type: 'string', choices: [...DIALECTS]},
		heartbeat: {type: 'string'},
		resumeParam: {type: 'string'},
		run: {type: 'string'},
		grep: {type: 'string'},
	});
	const {flags} = cli;
	if (cli.input.length === 0) {
		throw new UsageError('follow needs a source, e.g. "dbtail follow automation/nightly-etl"');
	}

	const level = levelFlag(flags.level);

	const {tail, sinceTime} = streamStart(flags.tail, flags.since);

	const runChoice = flags.run === undefined ? undefined : parseRunChoice(flags.run);
	const {grep} = flags;
	// Checked here, in --filter's words, before any request (the server would refuse it too, less clearly).
	compile(grep === undefined ? [] : [grep], '--grep');
	if (grep !== undefined && (cli.input.length > 1 || isSourceGlob(cli.input[0]!))) {
		throw new UsageError('--grep searches one run of one source: give one source, not several or a glob');
	}

	for (const source of cli.input.filter((input) => !isSourceGlob(input))) {
		checkOneRun(flags, source, runChoice !== undefined, grep !== undefined);
	}

	const connectTimeout = numberFlag('connect-timeout', flags.connectTimeout, {unit: 'seconds'});
	const dialect = flags.dialect as Dialect | undefined;
	const connection = resolveConnection(flags);
	const stream = {
		server: connection.server,
		dialect,
		heartbeatSeconds: heartbeatFlag(flags.heartbeat),
		level,
		tail,
		since: flags.since,
		follow: flags.forever,
		waitForSource: flags.wait || flags.forever,
		giveUpAfterMs: giveUpAfter(connectTimeout, flags.forever),
		resumeParam: resumeParamFlag(flags.resumeParam),
	};
	const filter = new RecordFilter(level, compile(flags.filter ?? [], '--filter'), compile(flags.exclude ?? [], '--exclude'), sinceTime?.getTime());
	const format = {timestamps: timestampStyle(flags.timestamps, flags.profile), color: await colors(flags.color, Boolean(process.stdout.isTTY))};
	const warn = (text: string) => process.stderr.write(`dbtail: ${text}\n`);
	if (grep !== undefined) {
		const source = cli.input[0]!.trim();
		const problem = sourceProblem(source, connection.server);
		if (problem) {
			throw new UsageError(problem);
		}

		// `all` mixes every automation and pipeline: each line says whose it is, as the viewer's pane on it does.
		const withEntity = parseSource(source, connection.server).ref?.kind === 'all';
		const scope = runChoice ? await pinRun(parseSource(source, connection.server).ref!, runChoice, {server: connection.server!, ...credentialsFor(connection, source)}) : source;
		// One run, not every run of the entity: the newest (the stream's own), or the one --run pinned.
		const reader = historyReader({...stream, source: scope, ...credentialsFor(connection, source), rawMessages: flags.json, runs: 'current'})!;
		return runGrep({reader, pattern: grep, scope, level, tail, filter: filter.forSource(withEntity), json: flags.json, format: {...format, withEntity}});
	}

	const sources = await listSources({args: cli.input, connection, stream, forever: flags.forever, runChoice, warn});
	return runFollow({...sources, json: flags.json, filter, format});
}

/** --resume-param: a query parameter's name, or `none`. */
function resumeParamFlag(value: string | undefined): string | undefined {
	if (value !== undefined && !/^[\w.-]+$/.test(value)) {
		throw new UsageError(`bad --resume-param "${value}": give a query parameter's name (letters, digits, _ . -) or none`);
	}

	return value;
}

/** --run and --grep read a run that exists, from a dbtail server's history: what they cannot go with. */
function checkOneRun(flags: {forever: boolean; wait: boolean; dialect?: string}, source: string, run: boolean, grep: boolean): void {
	const flag = grep ? '--grep' : '--run';
	if (!run && !grep) {
		return;
	}

	if (isUrlSource(source) || (flags.dialect !== undefined && flags.dialect !== 'dbtail')) {
		throw new UsageError(`${flag} reads a dbtail server's runs: give a source such as automation/<id>, not a URL or another dialect`);
	}

	if (flags.forever) {
		throw new UsageError(`${flag} reads one run and exits: not with --forever`);
	}

	if (grep && flags.wait) {
		throw new UsageError('--grep searches what a run has logged: not with --wait');
	}
}
