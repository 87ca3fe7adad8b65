import type {HistoryPage, HistoryReader} from '../../source/client/history.js';
import type {LogRecord} from '../../source/protocol/record.js';

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

	async before(id: string | undefined, limit: number): Promise<HistoryPage> {
		this.reads.push(`before ${id ?? 'newest'}`);
		const below = this.records.filter((record) => id === undefined || Number(record.id) < Number(id));
		const records = below.slice(-limit);
		return this.#answer({records, more: below.length > records.length});
	}

	async after(id: string, limit: number): Promise<HistoryPage> {
		this.reads.push(`after ${id}`);
		const above = this.records.filter((record) => Number(record.id) > Number(id));
		const records = above.slice(0, limit);
		return this.#answer({records, more: above.length > records.length});
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
