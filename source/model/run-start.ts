import type {HistoryPage, HistoryReader} from '../client/history.js';

/** Ids start at 1, so the page after id 0 is the scope's first. */
const BEFORE_EVERY_ID = '0';

/**
 * The first page of the run of the line with id `oldest` (the oldest a pane holds). Where the reader can
 * narrow its scope to one run (firstOfRun, a dbtail server's `currentRunID`) that is one read. Else the scope's first page
 * is it, unless the scope holds earlier runs too (an entity's pane reads every run of it): then the run's
 * first id is found by bisecting ids with one-record reads (ids grow with time, so the record after an id
 * is of the run, or of one before it, and a record of the run with seq s has s - 1 ids of the run below
 * it), some twenty reads for a store of millions, not the run read through. Runs of one entity that
 * overlap in time can make it land on a later line of the run: the search never reads more for that.
 */
export async function runFirstPage(reader: HistoryReader, oldest: string | undefined, limit: number): Promise<HistoryPage> {
	// A reader that can narrow its scope to the run reads the run's first page at once: two reads, not twenty.
	if (reader.firstOfRun && oldest !== undefined) {
		const [record] = (await reader.after(String(Number(oldest) - 1), 1)).records;
		if (record?.runId !== undefined) {
			return reader.firstOfRun(record.runId, limit);
		}
	}

	const first = await reader.after(BEFORE_EVERY_ID, limit);
	const [scopeFirst] = first.records;
	if (oldest === undefined || scopeFirst === undefined) {
		return first;
	}

	const [held] = (await reader.after(String(Number(oldest) - 1), 1)).records;
	if (held?.runId === undefined || scopeFirst.runId === held.runId) {
		return first;
	}

	// The run's first id is in (low, high]: its earlier lines all have ids below the held one's.
	let low = Number(scopeFirst.id);
	let high = Number(held.id) - (held.seq ?? 1) + 1;
	while (high - low > 1) {
		const middle = Math.floor((low + high) / 2);
		const [next] = (await reader.after(String(middle), 1)).records;
		if (next === undefined) {
			break;
		}

		if (next.runId === held.runId) {
			high = next.seq === 1 ? Number(next.id) : Math.min(middle, Number(next.id) - (next.seq ?? 1) + 1);
			low = next.seq === 1 ? high - 1 : low;
		} else {
			low = Number(next.id);
		}
	}

	return reader.after(String(high - 1), limit);
}
