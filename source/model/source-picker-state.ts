import {isUrlSource} from '../protocol/source.js';
import {parseStreamName} from '../protocol/streams.js';
import {LineEditor} from './line-editor.js';
import {searchSources, type SourceEntry} from './source-catalog.js';

export type CatalogState = {state: 'loading'} | {state: 'ready'; entries: SourceEntry[]} | {state: 'error'; message: string};

/** Matches the picker keeps: ↑/↓ walk them, the list on screen is a window of them around the chosen row. */
export const PICKER_MATCHES = 200;

function wellFormed(text: string): boolean {
	if (isUrlSource(text)) {
		return true;
	}

	try {
		parseStreamName(text);
		return true;
	} catch {
		return false;
	}
}

/**
 * The source picker's state: the query being typed, the chosen row, the catalog as it loads, and what
 * Enter opens. Model state, so keys typed before a frame all count. It knows no screen size: the list on
 * screen is a window of its matches (source-picker.tsx).
 */
export class SourcePickerState {
	readonly editor = new LineEditor();
	catalog: CatalogState = {state: 'loading'};
	/** The row chosen with ↑/↓; only a moved selection wins over a well-formed typed source. */
	selected = 0;
	moved = false;
	problem: string | undefined;
	/** The matches of the query last asked for: a frame and the keys of a burst ask again and again. */
	#matched: {query: string; catalog: CatalogState; matches: SourceEntry[]} | undefined;

	/** `onLoaded` is called once the catalog is there (or cannot be). */
	constructor(load: () => Promise<SourceEntry[]>, onLoaded: () => void) {
		load().then(
			(entries) => {
				this.catalog = {state: 'ready', entries};
				onLoaded();
			},
			(error: unknown) => {
				this.catalog = {state: 'error', message: error instanceof Error ? error.message : String(error)};
				onLoaded();
			},
		);
	}

	matches(): SourceEntry[] {
		const query = this.editor.text;
		if (this.#matched?.query !== query || this.#matched.catalog !== this.catalog) {
			const matches = this.catalog.state === 'ready' ? searchSources(this.catalog.entries, query, PICKER_MATCHES) : [];
			this.#matched = {query, catalog: this.catalog, matches};
		}

		return this.#matched.matches;
	}

	edited(): void {
		this.selected = 0;
		this.moved = false;
		this.problem = undefined;
	}

	move(step: number): void {
		const count = this.matches().length;
		this.selected = Math.max(0, Math.min(count - 1, this.selected + step));
		this.moved = true;
	}

	/**
	 * Enter would open the query itself, not a row: it is a well-formed source (`task/x?run=r-1`, a URL)
	 * that no listed row is. A query that is neither a row nor a source opens nothing, and says so.
	 */
	opensAsTyped(): boolean {
		const chosen = this.choice();
		return chosen !== undefined && wellFormed(chosen) && !this.matches().some((entry) => entry.name === chosen);
	}

	/**
	 * What Enter opens: the row chosen with ↑/↓; else what was typed, exactly, when it is a well-formed
	 * source the catalog does not start with (`task/extract?run=r-1` keeps its pin; `automation/nope` is
	 * not `automation/hourly-sync`; a source that does not exist yet is waited for); else the top match;
	 * else what was typed. Undefined for an empty query and no match.
	 */
	choice(): string | undefined {
		const matches = this.matches();
		if (this.moved && matches[this.selected]) {
			return matches[this.selected]!.name;
		}

		const typed = this.editor.text.trim();
		const entries = this.catalog.state === 'ready' ? this.catalog.entries : [];
		if (typed !== '' && wellFormed(typed) && !entries.some((entry) => entry.name !== typed && entry.name.startsWith(typed))) {
			return typed;
		}

		return matches[0]?.name ?? (typed === '' ? undefined : typed);
	}
}
