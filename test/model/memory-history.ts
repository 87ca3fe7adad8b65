import type {HistoryPage, HistoryQuery, HistoryReader} from '../../source/client/history.js';
import {meetsFloor} from '../../source/protocol/levels.js';
import {compilePattern, matchesShownText} from '../../source/protocol/pattern.js';
import {recordLabel, type LogRecord} from '../../source/protocol/record.js';

/**
 * A history over records kept in memory, paged as the server pages them (ascending, `more` when records lie
 * beyond the page's far end), so model tests drive a pane's reads with answers they control: `hold()` makes
 * answers wait (a slow server, keys land meanwhile), `failure` makes them fail (a server down). Each answer
 * is what the records were when it was asked, as a store's query is.
 */
export class MemoryHistory implements HistoryReader {
	readonly records: LogRecord[] = [];
	readonly reads: string[] = [];
	failure?: string;
	#gate?: Promise<void>;

	/** Answers wait until the returned function is called. */
	hold(): () => void {
		let open!: () => void;
		this.#gate = new Promise((resolve) => {
			open = resolve;
		});
		return () => {
			this.#gate = undefined;
			open();
		};
	}

	/**
	 * With `grep`, a read scans at most this many records (as the server's budget) and says where to go on;
	 * `counts` is how many reads asked for a count.
	 */
	scanBudget = Number.POSITIVE_INFINITY;
	counts = 0;

	async before(id: string | undefined, limit: number, query: HistoryQuery = {}): Promise<HistoryPage> {
		this.reads.push(`before ${id ?? 'newest'}${describe(query)}`);
		const below = this.records.filter((record) => (id === undefined || Number(record.id) < Number(id)) && inRun(record, query));
		const scanned = query.grep ? below.slice(-this.scanBudget) : below;
		const kept = this.#kept(scanned, query);
		const records = kept.slice(-limit);
		const more = below.length > records.length && (kept.length > records.length || scanned.length < below.length);
		const next = more ? (kept.length > records.length ? records[0] : scanned[0])?.id : undefined;
		return this.#answer({records, more, next, count: this.#count(below, query)});
	}

	async after(id: string, limit: number, query: HistoryQuery = {}): Promise<HistoryPage> {
		this.reads.push(`after ${id}${describe(query)}`);
		const above = this.records.filter((record) => Number(record.id) > Number(id) && inRun(record, query));
		const scanned = query.grep ? above.slice(0, this.scanBudget) : above;
		const kept = this.#kept(scanned, query);
		const records = kept.slice(0, limit);
		const more = above.length > records.length && (kept.length > records.length || scanned.length < above.length);
		const next = more ? (kept.length > records.length ? records.at(-1) : scanned.at(-1))?.id : undefined;
		return this.#answer({records, more, next, count: this.#count(above, query)});
	}

	#kept(records: LogRecord[], query: HistoryQuery): LogRecord[] {
		const pattern = query.grep ? compilePattern(query.grep, {allowExclude: false}).pattern : undefined;
		return records.filter(
			(record) => meetsFloor(record.level, query.level) && (!pattern || matchesShownText(pattern, record.level, recordLabel(record), record.message)),
		);
	}

	#count(range: LogRecord[], query: HistoryQuery): HistoryPage['count'] {
		if (!query.count || !query.grep) {
			return undefined;
		}

		this.counts++;
		return {matches: this.#kept(range, query).length, complete: true};
	}

	async #answer(page: HistoryPage): Promise<HistoryPage> {
		const failure = this.failure;
		await this.#gate;
		if (failure) {
			throw new Error(failure);
		}

		return page;
	}
}

function describe(query: HistoryQuery): string {
	return query.grep === undefined ? '' : ` grep ${query.grep}`;
}

function inRun(record: LogRecord, query: HistoryQuery): boolean {
	return query.run === undefined || record.runId === query.run;
}
