import {isUrlSource} from '../protocol/source.js';
import {parseStreamName} from '../protocol/streams.js';
import {LineEditor} from './line-editor.js';
import {searchSources, type SourceEntry} from './source-catalog.js';

export type CatalogState = {state: 'loading'} | {state: 'ready'; entries: SourceEntry[]} | {state: 'error'; message: string};

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
 * Enter opens. Model state, so keys typed before a frame (and an Enter before the catalog arrived) all count.
 */
export class SourcePickerState {
	readonly editor = new LineEditor();
	catalog: CatalogState = {state: 'loading'};
	/** The row chosen with ↑/↓; only a moved selection wins over a well-formed typed source. */
	selected = 0;
	moved = false;
	problem: string | undefined;
	/** Enter came while the catalog was still loading: pick once it is there. */
	waiting = false;
	/** Keys typed after that Enter: they are for whatever the pick leads to, not for the query. */
	readonly afterEnter: Array<() => void> = [];

	constructor(load: () => Promise<SourceEntry[]>, onChange: () => void) {
		load().then(
			(entries) => {
				this.catalog = {state: 'ready', entries};
				onChange();
			},
			(error: unknown) => {
				this.catalog = {state: 'error', message: error instanceof Error ? error.message : String(error)};
				onChange();
			},
		);
	}

	matches(limit: number): SourceEntry[] {
		return this.catalog.state === 'ready' ? searchSources(this.catalog.entries, this.editor.text, limit) : [];
	}

	edited(): void {
		this.selected = 0;
		this.moved = false;
		this.problem = undefined;
	}

	move(step: number, limit: number): void {
		const count = this.matches(limit).length;
		this.selected = Math.max(0, Math.min(count - 1, this.selected + step));
		this.moved = true;
	}

	/**
	 * What Enter opens: the row chosen with ↑/↓; else what was typed, exactly, when it is a well-formed
	 * source the catalog does not start with (`task/extract?run=r-1` keeps its pin; `automation/nope` is
	 * not `automation/hourly-sync`; a source that does not exist yet is waited for); else the top match;
	 * else what was typed. Undefined for an empty query and no match.
	 */
	choice(limit: number): string | undefined {
		const matches = this.matches(limit);
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
