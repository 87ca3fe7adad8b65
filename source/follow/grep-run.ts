import {once} from 'node:events';
import process from 'node:process';
import type {Writable} from 'node:stream';
import {MAX_HISTORY_PAGE, type HistoryPage, type HistoryReader} from '../client/history.js';
import type {Level} from '../protocol/levels.js';
import type {LogRecord} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatJson, LineFormatter, type LineFormatOptions} from './line-format.js';
import type {RecordFilter} from './record-filter.js';

/*
 * `dbtail follow <source> --grep RE`: the matches of a whole run, read from the server's history with
 * `grep=` (docs/protocol.md, History search) page after page, then exit. The server scans a bounded number
 * of records a request and says where to go on (`next`), so a run of millions is a few requests, and no
 * pattern can hold it. Exit codes are grep's, for this is a search, not the run: 0 a line matched, 1 none
 * did, 2 the history could not be read, 130 (143) interrupted.
 */

export type GrepOptions = {
	reader: HistoryReader;
	/** The pattern as typed, checked already (the server reads it in the same language). */
	pattern: string;
	/** What the matches are of, for the line said when none matched (`automation/etl`). */
	scope: string;
	level?: Level;
	/** Only the last N matches. */
	tail?: number;
	/** --filter, --exclude and --since, applied to what the server sent. */
	filter: RecordFilter;
	json: boolean;
	format: LineFormatOptions;
	stdout?: Writable;
	stderr?: Writable;
};

export const GREP_EXIT = {matched: 0, none: 1, fatal: 2} as const;

/** After SIGINT or SIGTERM, how long a request under way may take before the process leaves anyway. */
const SIGNAL_GRACE_MS = 1000;

export async function runGrep(options: GrepOptions): Promise<number> {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const formatter = new LineFormatter(options.format);
	const format = options.json ? formatJson : (record: LogRecord) => formatter.format(record);
	const query = {grep: options.pattern, level: options.level};
	let printed = 0;
	let stopped: number | undefined;
	const onSignal = (signal: NodeJS.Signals) => {
		stopped = signal === 'SIGTERM' ? 143 : 130;
		setTimeout(() => process.exit(stopped), SIGNAL_GRACE_MS).unref();
	};

	let broken = false;
	const onError = (error: NodeJS.ErrnoException) => {
		// The reader went away (`| head`): stop quietly, as grep does.
		broken = true;
		stopped ??= error.code === 'EPIPE' ? GREP_EXIT.matched : GREP_EXIT.fatal;
	};

	const write = async (records: LogRecord[]) => {
		const kept = records.filter((record) => options.filter.accepts(record));
		if (kept.length === 0 || broken) {
			return;
		}

		printed += kept.length;
		if (!stdout.write(kept.map((record) => format(record)).join(''))) {
			// Whichever comes first; the abort then takes the other's listeners away (one pair per page otherwise).
			const settled = new AbortController();
			const either = async (event: string) => once(stdout, event, {signal: settled.signal}).catch(() => undefined);
			await Promise.race([either('drain'), either('error')]);
			settled.abort();
		}
	};

	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	stdout.on('error', onError);
	try {
		if (options.tail === undefined) {
			await readForward(options.reader, query, write, () => stopped !== undefined);
		} else {
			await write(await lastMatches(options.reader, query, options.tail, options.filter, () => stopped !== undefined));
		}
	} catch (error) {
		stderr.write(`dbtail: ${sanitizeInline((error as Error).message)}\n`);
		return stopped ?? GREP_EXIT.fatal;
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		stdout.off('error', onError);
	}

	if (stopped !== undefined) {
		return stopped;
	}

	if (printed === 0) {
		stderr.write(`dbtail: no line of ${options.scope} matches "${options.pattern}"\n`);
		return GREP_EXIT.none;
	}

	return GREP_EXIT.matched;
}

type Query = {grep: string; level?: Level};

/** Every match from the scope's first record on, a page at a time, going on from each page's `next`. */
async function readForward(reader: HistoryReader, query: Query, write: (records: LogRecord[]) => Promise<void>, stopped: () => boolean): Promise<void> {
	// Ids start at 1: the page after id 0 is the scope's first.
	let cursor = '0';
	while (!stopped()) {
		const page: HistoryPage = await reader.after(cursor, MAX_HISTORY_PAGE, query);
		await write(page.records);
		if (!page.more || page.next === undefined) {
			return;
		}

		cursor = page.next;
	}
}

/** The last `tail` matches that the filter keeps, read back from the newest, ascending. */
async function lastMatches(reader: HistoryReader, query: Query, tail: number, filter: RecordFilter, stopped: () => boolean): Promise<LogRecord[]> {
	const found: LogRecord[][] = [];
	let kept = 0;
	let cursor: string | undefined;
	while (kept < tail && !stopped()) {
		const page: HistoryPage = await reader.before(cursor, Math.min(MAX_HISTORY_PAGE, Math.max(1, tail - kept)), query);
		const passing = page.records.filter((record) => filter.accepts(record));
		found.unshift(passing);
		kept += passing.length;
		if (!page.more || page.next === undefined) {
			break;
		}

		cursor = page.next;
	}

	return tail === 0 ? [] : found.flat().slice(-tail);
}
