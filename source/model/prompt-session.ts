import {LineEditor, type PromptHistory} from './line-editor.js';
import type {PromptKind, PromptTarget} from './prompt-kinds.js';

/**
 * One opening of a bottom-line prompt (filter, search, a time): its line, the pane it acts on, and what it
 * says is wrong. The filter and the search follow the line as it is typed; a burst of keys applies it once,
 * when the burst is over (`flush`), so a pasted line costs one filter pass, not one a character.
 */
export class PromptSession {
	readonly editor: LineEditor;
	error: string | undefined;
	readonly #kind: PromptKind;
	readonly #target: PromptTarget;
	readonly #history: PromptHistory;
	#edited = false;

	constructor(kind: PromptKind, target: PromptTarget, history: PromptHistory) {
		this.#kind = kind;
		this.#target = target;
		this.#history = history;
		this.editor = new LineEditor(kind.initial(target), history);
	}

	get label(): string {
		return this.#kind.label;
	}

	get hint(): string {
		return this.#kind.hint;
	}

	/** The line changed: the pane follows it at the next flush. */
	changed(): void {
		this.#edited = true;
	}

	/** Applies the line to the pane if it changed since it was last applied; an edit clears what Enter said was wrong. */
	flush(): void {
		if (this.#edited) {
			this.#edited = false;
			this.error = this.#kind.apply?.(this.#target, this.editor.text);
		}
	}

	/** Enter: the line as typed is kept and goes into the prompt's history; false (the prompt stays) when it is refused. */
	submit(): boolean {
		this.flush();
		const error = this.#kind.submit(this.#target, this.editor.text);
		if (error) {
			this.error = error;
			return false;
		}

		this.#history.add(this.editor.text);
		return true;
	}

	/** Esc: the filter or search is cleared. */
	cancel(): void {
		this.#edited = false;
		this.#kind.cancel?.(this.#target);
	}
}
