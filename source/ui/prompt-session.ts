import {LineEditor, type PromptHistory} from '../model/line-editor.js';
import type {PaneStore} from '../model/pane-store.js';
import type {PromptKind} from './prompts.js';

/** One opening of the filter or search prompt: its line, the pane it acts on, and what it says is wrong. */
export class PromptSession {
	readonly editor: LineEditor;
	error: string | undefined;
	readonly #kind: PromptKind;
	readonly #store: PaneStore;
	readonly #history: PromptHistory;

	constructor(kind: PromptKind, store: PaneStore, history: PromptHistory) {
		this.#kind = kind;
		this.#store = store;
		this.#history = history;
		this.editor = new LineEditor(kind.initial(store), history);
	}

	get label(): string {
		return this.#kind.label;
	}

	/** The pane follows the line as it is typed (a live filter, live highlights). */
	changed(): void {
		this.error = this.#kind.apply(this.#store, this.editor.text);
	}

	submit(): void {
		this.#history.add(this.editor.text);
		this.#kind.submit(this.#store);
	}

	cancel(): void {
		this.#kind.apply(this.#store, '');
	}
}
