import type {StoredLogRecord} from '../protocol/record.js';
import type {LogStore} from './store/log-store.js';
import {RECORD_OVERHEAD_BYTES} from './store/rows.js';
import type {Scope} from './store/scope.js';
import type {HistoryPage, HistoryQuery} from './store/types.js';

/*
 * A history page with `from=<time>` (the viewer's `T`). No index orders a scope's records by time (ids are
 * in commit order, and a producer's times need not be), so a store finds the first records at or after a
 * time by reading the scope in id order from the start: on SQLite that read is synchronous, and a run of
 * 1,000,000 lines held the event loop some 250 ms for one `T` near its end. Here the read goes a window
 * of ids at a time, with the loop free between windows, until the page is full or the range is read.
 */

/** Ids one store read covers: a few milliseconds of SQLite's time. */
export const FROM_WINDOW_IDS = 20_000;

type FromQuery = HistoryQuery & {fromTime: string; maxBytes: number};

/** As `store.history(scope, query)` for a query with `fromTime`, read in windows of `window` ids. */
export async function historyFrom(store: LogStore, scope: Scope, query: FromQuery, window = FROM_WINDOW_IDS): Promise<Pick<HistoryPage, 'records' | 'cut'>> {
	const low = query.after ?? 0;
	const high = query.before ?? (await store.top()) + 1;
	const descending = query.order === 'desc';
	const records: StoredLogRecord[] = [];
	let bytes = 0;
	// The window is (after, before); it moves from the end the page is read from.
	let edge = descending ? high : low;
	for (;;) {
		const after = descending ? Math.max(low, edge - window - 1) : edge;
		const before = descending ? edge : Math.min(high, edge + window + 1);
		const page = await store.history(scope, {...query, after, before, limit: query.limit - records.length, maxBytes: Math.max(1, query.maxBytes - bytes)});
		records.splice(descending ? 0 : records.length, 0, ...page.records);
		bytes += page.records.reduce((sum, record) => sum + record.message.length + RECORD_OVERHEAD_BYTES, 0);
		const done = descending ? after <= low : before >= high;
		if (page.cut || records.length >= query.limit || done) {
			return page.cut ? {records, cut: true} : {records};
		}

		edge = descending ? after + 1 : before - 1;
		await new Promise((resolve) => setImmediate(resolve));
	}
}
