import process from 'node:process';
import {fetchRuns, RunsRequestError} from '../client/runs.js';
import {credentialsFor, resolveConnection} from '../config/connection.js';
import {count as formatCount} from '../model/count-text.js';
import type {RunSummary} from '../protocol/api.js';
import {compilePattern} from '../protocol/pattern.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {parseStreamName, StreamNameError} from '../protocol/streams.js';
import {formatDuration} from '../protocol/time.js';
import {UsageError} from '../errors.js';
import {numberFlag} from './number-flag.js';
import {parseCommandLine} from './parse-command-line.js';

const help = `
  Usage
    $ dbtail runs <source> [options]

  Lists the runs of an automation or a pipeline, newest first: id, start (UTC), duration (so far, for a
  running run), result, lines, WARN and ERROR lines. Exits 0, or 2 on a usage or connection error
  (bad source, refused token, an entity the server does not know).

  Sources
    automation/<id>  pipeline/<id>   (on --server)

  Options
    --server URL          dbtail server (else DBTAIL_SERVER, else the profile)
    --token TOKEN         bearer token (else DBTAIL_TOKEN, else the profile; see "dbtail login")
    --token-command CMD   command that prints a token; run at start without one, and again on a 401
    --profile NAME        saved profile to use (else DBTAIL_PROFILE, else "default")
    --limit N             how many runs (default 20)
    --grep REGEX          count each run's lines that match (smart-case; RE2 syntax, as follow's
                          --filter): a MATCHES column, "≥N" where the server stopped counting
    --json                one run per line as JSON (the server's RunSummary)
`;

/** The server answers at most this many runs a request; more are read page by page. */
const PAGE = 1000;
const MAX_LIMIT = 100_000;

const COLUMNS = ['RUN', 'STARTED', 'DURATION', 'RESULT', 'LINES', 'WARN', 'ERROR', 'MATCHES'] as const;
/** Numbers are right-aligned, so their digits line up. */
const RIGHT = new Set<string>(['DURATION', 'LINES', 'WARN', 'ERROR', 'MATCHES']);

const count = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? formatCount(value) : '?');

/** One run as table cells; whatever the server sent is neutralized, for it goes to a terminal. */
function cells(run: RunSummary, withMatches: boolean): string[] {
	const started = typeof run.startedAt === 'string' ? run.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '?';
	const duration = typeof run.durationMs === 'number' ? formatDuration(run.durationMs) : '?';
	const row = [String(run.runId), started, duration, String(run.status), count(run.lines), count(run.warnings), count(run.errors)];
	return (withMatches ? [...row, matches(run.matches)] : row).map((cell) => sanitizeInline(cell));
}

function matches(found: RunSummary['matches']): string {
	if (!found) {return '?';}
	return found.complete ? count(found.count) : `≥${count(found.count)}`;
}

/** The runs as a table with a header, columns padded to their widest cell; MATCHES only `withMatches`. */
export function formatRunsTable(runs: RunSummary[], withMatches = false): string {
	const header = withMatches ? [...COLUMNS] : COLUMNS.slice(0, -1);
	const rows = [header, ...runs.map((run) => cells(run, withMatches))];
	const widths = header.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
	return rows
		.map((row) =>
			row
				.map((cell, column) => (RIGHT.has(COLUMNS[column]!) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
				.join('  ')
				.trimEnd(),
		)
		.map((line) => `${line}\n`)
		.join('');
}

export default async function runs(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail runs', help, argv, {
		server: {type: 'string'},
		token: {type: 'string'},
		tokenCommand: {type: 'string'},
		profile: {type: 'string'},
		limit: {type: 'string'},
		json: {type: 'boolean', default: false},
		grep: {type: 'string'},
	});
	const {flags} = cli;
	if (cli.input.length !== 1) {
		throw new UsageError(cli.input.length === 0 ? 'runs needs a source, e.g. "dbtail runs automation/nightly-etl"' : `runs takes one source, got ${cli.input.length}`);
	}

	const source = cli.input[0]!;
	const limit = numberFlag('limit', flags.limit, {whole: true, min: 0, aboveMin: true, max: MAX_LIMIT}) ?? 20;
	let ref;
	try {
		ref = parseStreamName(source);
	} catch (error) {
		if (error instanceof StreamNameError) {throw new UsageError(error.message);}
		throw error;
	}

	if ((ref.kind !== 'automation' && ref.kind !== 'pipeline') || ref.run !== undefined) {
		throw new UsageError(`runs lists the runs of automation/<id> or pipeline/<id>, not "${source}"`);
	}

	// Said here, in the words follow --filter uses, before any request: the server would refuse it too.
	if (flags.grep !== undefined) {
		const compiled = compilePattern(flags.grep, {allowExclude: false});
		if (!compiled.pattern) {throw new UsageError(`bad --grep pattern "${flags.grep}": ${compiled.error ?? 'empty'}`);}
	}

	const connection = resolveConnection(flags);
	if (!connection.server) {
		throw new UsageError('no server to list runs from: pass --server URL or run "dbtail config set server URL"');
	}

	const found: RunSummary[] = [];
	let before: string | undefined;
	try {
		do {
			const page = await fetchRuns({server: connection.server, ...credentialsFor(connection, source), kind: ref.kind, id: ref.id!, before, limit: Math.min(PAGE, limit - found.length), grep: flags.grep});
			found.push(...page.runs);
			before = page.next ?? undefined;
		} while (before !== undefined && found.length < limit);
	} catch (error) {
		if (error instanceof RunsRequestError || (error as Error).name === 'AnswerTooLarge' || (error as Error).name === 'AnswerNotJson') {throw new UsageError((error as Error).message);}
		throw error;
	}

	process.stdout.write(flags.json ? found.map((run) => `${JSON.stringify(run)}\n`).join('') : formatRunsTable(found, flags.grep !== undefined));
	return 0;
}
