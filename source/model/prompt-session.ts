import {LineEditor, type PromptHistory} from './line-editor.js';
import type {PromptKind, PromptTarget} from './prompt-kinds.js';

/**
 * One opening of the filter or search prompt: its line, the pane it acts on, and what it says is wrong.
 * The pane follows the line as it is typed; a burst of keys applies it once, when the burst is over
 * (`flush`), so a pasted line costs one filter pass, not one a character.
 */
export class PromptSession {
	readonly editor: LineEditor;
	error: string | undefined;
	readonly #kind: PromptKind;
	readonly #store: PromptTarget;
	readonly #history: PromptHistory;
	#edited = false;

	constructor(kind: PromptKind, store: PromptTarget, history: PromptHistory) {
		this.#kind = kind;
		this.#store = store;
		this.#history = history;
		this.editor = new LineEditor(kind.initial(store), history);
	}

	get label(): string {
		return this.#kind.label;
	}

	/** The line changed: the pane follows it at the next flush. */
	changed(): void {
		this.#edited = true;
	}

	/** Applies the line to the pane if it changed since it was last applied. */
	flush(): void {
		if (this.#edited) {
			this.#edited = false;
			this.error = this.#kind.apply(this.#store, this.editor.text);
		}
	}

	/** Enter: the line as typed stays applied, and goes into the prompt's history. */
	submit(): void {
		this.flush();
		this.#history.add(this.editor.text);
		this.#kind.submit(this.#store);
	}

	/** Esc: the filter or search is cleared. */
	cancel(): void {
		this.#edited = false;
		this.#kind.apply(this.#store, '');
	}
}
