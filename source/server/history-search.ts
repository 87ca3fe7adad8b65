import {matchesShownText, type LinePattern} from '../protocol/pattern.js';
import {recordLabel, type StoredLogRecord} from '../protocol/record.js';
import {ApiError} from './api-error.js';
import type {LogStore} from './store/log-store.js';
import type {Scope} from './store/scope.js';
import type {HistoryQuery} from './store/types.js';

/*
 * History search (`grep=` on a history path): the scope's records read a page at a time, in the page's
 * direction, each matched on the server with the viewer's pattern language (protocol/pattern.ts: RE2, linear
 * in the text whatever the pattern). A request scans at most a budget of records and of time, then answers
 * with what it found and where to go on, so no pattern, however rare its matches, holds the server or a
 * store connection: each store read is one ordinary page of history.
 */

export type ScanBudget = {rows: number; ms: number};

/**
 * How many searches (or counting run lists) one instance runs at once (4): each is bounded in time, but
 * forty at once would still take every core for seconds. One more is refused with a 503 and Retry-After.
 */
export class ScanGate {
	#active = 0;

	constructor(readonly max = 4) {}

	async run<T>(work: () => Promise<T>): Promise<T> {
		if (this.#active >= this.max) {
			throw new ApiError(503, 'internal', `${this.max} searches are running on this server already; retry shortly`, {'retry-after': '1'});
		}

		this.#active++;
		try {
			return await work();
		} finally {
			this.#active--;
		}
	}
}

/** What one request of a search may scan: 200,000 records or 2 s, whichever comes first. */
export const SEARCH_BUDGET: ScanBudget = {rows: 200_000, ms: 2000};
/** What a count (`count=true`) may scan: 2,000,000 records or 5 s. */
export const COUNT_BUDGET: ScanBudget = {rows: 2_000_000, ms: 5000};

const PAGE_ROWS = 2000;
const PAGE_BYTES = 4 * 1024 * 1024;

export type ScanRange = Pick<HistoryQuery, 'after' | 'before' | 'level'> & {order: 'asc' | 'desc'};

export type ScanResult = {
	/** The matches in scan order (ascending for asc, descending for desc), at most `want`. */
	matches: StoredLogRecord[];
	/** How many matched: beyond `want` when counting. */
	matched: number;
	scanned: number;
	/** The id of the last record scanned (the last match, when it stopped at `want`): where a request that goes on starts. */
	edge: number | undefined;
	/** True when the scan reached the end of the range (it did not stop at `want` or the budget). */
	exhausted: boolean;
};

export function recordMatches(pattern: LinePattern, record: StoredLogRecord): boolean {
	return matchesShownText(pattern, record.level, recordLabel(record), record.message);
}

/**
 * Scans the range in its order and keeps the first `want` matches; with `countAll` it goes on past them,
 * counting, until the range or the budget ends.
 */
export async function scanMatches(
	store: LogStore,
	scope: Scope,
	range: ScanRange,
	pattern: LinePattern,
	want: number,
	budget: ScanBudget,
	countAll = false,
): Promise<ScanResult> {
	const started = performance.now();
	const result: ScanResult = {matches: [], matched: 0, scanned: 0, edge: undefined, exhausted: false};
	let {after, before} = range;
	for (;;) {
		const {records, cut} = await store.history(scope, {after, before, level: range.level, limit: PAGE_ROWS, order: range.order, maxBytes: PAGE_BYTES});
		const ordered = range.order === 'asc' ? records : records.toReversed();
		for (const record of ordered) {
			result.scanned++;
			result.edge = Number(record.id);
			if (recordMatches(pattern, record)) {
				result.matched++;
				if (result.matches.length < want) {result.matches.push(record);}
				if (!countAll && result.matches.length >= want) {return result;}
			}
		}

		// A page short of its rows (and not cut by bytes) was the range's last.
		if (records.length < PAGE_ROWS && cut !== true) {
			result.exhausted = true;
			return result;
		}

		if (range.order === 'asc') {after = result.edge;} else {before = result.edge;}
		if (result.scanned >= budget.rows || performance.now() - started >= budget.ms) {
			// Out of budget: whether anything is left decides between "go on from here" and "that was all".
			const beyond = await store.history(scope, {after, before, level: range.level, limit: 1, order: range.order});
			result.exhausted = beyond.records.length === 0;
			return result;
		}

		// Other requests run between pages: SQLite reads synchronously, so awaiting its read never lets them in.
		await new Promise((resolve) => setImmediate(resolve));
	}
}