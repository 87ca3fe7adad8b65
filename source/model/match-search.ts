import type {HistoryPage, HistoryQuery, HistoryReader} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import {count} from './count-text.js';

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

/** `match 3 of 41 in the run`, `match 3 of ≥200,000 in the run` where the server stopped counting. */
export function matchPlaceText(place: MatchPlace): string {
	return `match ${count(place.at)} of ${place.complete ? '' : '≥'}${count(place.of)} in the run`;
}
