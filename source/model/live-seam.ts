import type {HistoryPage} from '../client/history.js';
import type {LogRecord} from '../protocol/record.js';
import type {PaneStore} from './pane-store.js';

/**
 * The seam between a page read toward the live end and the live stream: records heard while the page is
 * read are kept (at most a window's worth) and, when the page lands as the last one (`more: false`), the
 * ones newer than it are added after it. None is lost, and none doubled (the window skips ids it holds).
 */
export class LiveSeam {
	readonly #store: PaneStore;
	/** Live records heard while a page toward the live end is read; undefined when none is. */
	#heard?: LogRecord[];
	#overflow = false;

	constructor(store: PaneStore) {
		this.#store = store;
	}

	/** Whether live records are being kept (a read toward the live end is under way). */
	get listening(): boolean {
		return this.#heard !== undefined;
	}

	/** A read toward the live end starts: live records are kept from now on. */
	listen(): void {
		this.#heard = [];
		this.#overflow = false;
	}

	/** No read toward the live end is under way any more. */
	forget(): void {
		this.#heard = undefined;
	}

	/** A live record, as the stream delivered it (after the store took it). */
	heard(record: LogRecord): void {
		if (!this.#heard) {
			return;
		}

		this.#heard.push(record);
		if (this.#heard.length > this.#store.window.capacity) {
			this.#heard.shift();
			this.#overflow = true;
		}
	}

	/**
	 * Fills a page in after the newest line held. The last page (`more: false`) brings the live end back,
	 * and the live records heard meanwhile that are newer than it are added; if more were heard than could
	 * be kept, the window stays short of live and the next page reads on.
	 */
	land(page: HistoryPage, adjacent: boolean): void {
		const live = !page.more && !this.#overflow;
		const heard = this.#heard ?? [];
		this.#heard = undefined;
		this.#store.fillAfter({records: page.records, more: !live}, adjacent);
		if (live) {
			for (const record of heard) {
				this.#store.append(record);
			}
		}
	}
}
