import type {HistoryCount, HistoryPage, HistoryQuery, HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';

/** Matches one search read asks for: the first that the pane's filter also lets through is the one shown. */
export const MATCHES_PER_READ = 100;
/** Reads one `n` may make (each scans a bounded stretch on the server), so a key never reads a whole run through. */
export const READS_PER_SEARCH = 8;

/** The match found past what a pane holds, and the lines around it, ascending, to load into the window. */
export type FoundMatch = {match: LogRecord; records: LogRecord[]; more: {before: boolean; after: boolean}};

/** `match 3 of 41 in the run`: which match of the scope the cursor is on, as the server counted them. */
export type MatchPlace = {id: string; at: number; of: number; complete: boolean};

/**
 * The nearest match past `request.from` that `shows` accepts (the search hits it and the pane's filter
 * passes it), read from the history with `grep=` the search and `level=` the pane's floor; undefined when
 * none lies that way, or none within READS_PER_SEARCH reads (`exhausted`: where to go on from).
 */
export async function findMatch(
	reader: HistoryReader,
	request: {direction: 1 | -1; from?: string},
	query: HistoryQuery,
	shows: (record: LogRecord) => boolean,
	current: () => boolean,
): Promise<{match?: LogRecord; exhausted?: string}> {
	// From the scope's end where no id is given: its first record going down (ids start at 1), its newest going up.
	let from: string | undefined = request.from ?? (request.direction === 1 ? '0' : undefined);
	for (let reads = 0; reads < READS_PER_SEARCH; reads++) {
		const page: HistoryPage = request.direction === 1 ? await reader.after(from!, MATCHES_PER_READ, query) : await reader.before(from, MATCHES_PER_READ, query);
		if (!current()) {
			return {};
		}

		const candidates = request.direction === 1 ? page.records : [...page.records].reverse();
		const match = candidates.find((record) => shows(record));
		if (match) {
			return {match};
		}

		if (!page.more || page.next === undefined) {
			return {};
		}

		from = page.next;
	}

	return {exhausted: from};
}

/** The lines around a match, `half` on each side: the window a pane lands on. */
export async function around(reader: HistoryReader, match: LogRecord, half: number): Promise<FoundMatch> {
	const [before, after] = await Promise.all([reader.before(match.id, half), reader.after(match.id!, half)]);
	return {match, records: [...before.records, match, ...after.records], more: {before: before.more, after: after.more}};
}

/**
 * Where a match is among its run's matches: two counts (up to and including it, and all), each bounded by
 * the server's count budget, in the match's run (a pane over an entity reads every run of it, but `match 3
 * of 41` is of the run the match is in: its record, read first, says which); undefined where the server
 * does not count (an older one).
 */
export async function placeMatch(reader: HistoryReader, id: string, query: HistoryQuery): Promise<MatchPlace | undefined> {
	const [record] = (await reader.after(String(Number(id) - 1), 1)).records;
	const counted = {...query, count: true, run: record?.id === id ? record.runId : undefined};
	// Ids start at 1: `after=0` is the whole scope; `before=id+1` the matches up to and including this one.
	const [upTo, all] = await Promise.all([reader.before(String(Number(id) + 1), 1, counted), reader.after('0', 1, counted)]);
	return place(id, upTo.count, all.count);
}

/** Which match it is needs the count up to it whole; the count of all may be a lower bound (`≥`). */
function place(id: string, upTo: HistoryCount | undefined, all: HistoryCount | undefined): MatchPlace | undefined {
	if (!upTo?.complete || !all || upTo.matches < 1) {
		return undefined;
	}

	return {id, at: upTo.matches, of: Math.max(all.matches, upTo.matches), complete: all.complete};
}

/** `match 3 of 41 in the run`, `match 3 of ≥200,000 in the run` where the server stopped counting. */
export function matchPlaceText(place: MatchPlace): string {
	const count = (value: number) => value.toLocaleString('en-US');
	return `match ${count(place.at)} of ${place.complete ? '' : '≥'}${count(place.of)} in the run`;
}
