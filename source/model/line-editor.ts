/*
 * The line being typed into a prompt (filter, search, the source picker), as readline edits it. It is
 * model state, not React state (as k9s keeps its prompt buffer in internal/model/cmd_buff.go): keys that
 * arrive before the next frame edit this object directly, so none is lost or applied to a stale copy.
 * Positions are in grapheme clusters, so the cursor never stands inside an emoji or before a combining mark.
 */

const segmenter = new Intl.Segmenter();
const split = (text: string) => Array.from(segmenter.segment(text), ({segment}) => segment);
const isWordChar = (cluster: string) => /[\p{L}\p{N}_]/u.test(cluster);

/** Earlier entries of one prompt, newest last; ↑ walks back through them. */
export class PromptHistory {
	readonly #entries: string[] = [];
	readonly #limit: number;

	constructor(limit = 100) {
		this.#limit = limit;
	}

	get entries(): readonly string[] {
		return this.#entries;
	}

	add(text: string): void {
		if (text.trim() === '' || this.#entries.at(-1) === text) {
			return;
		}

		this.#entries.push(text);
		if (this.#entries.length > this.#limit) {
			this.#entries.shift();
		}
	}
}

export class LineEditor {
	#chars: string[];
	#cursor: number;
	readonly #history: PromptHistory | undefined;
	/** Where ↑/↓ stand in the history: entries.length is the line being typed. */
	#historyAt: number;
	/** The line being typed, kept while ↑/↓ show earlier ones. */
	#draft = '';

	constructor(text = '', history?: PromptHistory) {
		this.#chars = split(text);
		this.#cursor = this.#chars.length;
		this.#history = history;
		this.#historyAt = history?.entries.length ?? 0;
	}

	get text(): string {
		return this.#chars.join('');
	}

	/** The cursor, in grapheme clusters from the start. */
	get cursor(): number {
		return this.#cursor;
	}

	/** The text before and after the cursor (for drawing it). */
	get parts(): {before: string; at: string; after: string} {
		return {
			before: this.#chars.slice(0, this.#cursor).join(''),
			at: this.#chars[this.#cursor] ?? '',
			after: this.#chars.slice(this.#cursor + 1).join(''),
		};
	}

	set(text: string): void {
		this.#chars = split(text);
		this.#cursor = this.#chars.length;
	}

	insert(text: string): void {
		const added = split(text);
		this.#chars.splice(this.#cursor, 0, ...added);
		this.#cursor += added.length;
	}

	backspace(): void {
		if (this.#cursor > 0) {
			this.#chars.splice(--this.#cursor, 1);
		}
	}

	deleteForward(): void {
		this.#chars.splice(this.#cursor, 1);
	}

	left(): void {
		this.#cursor = Math.max(0, this.#cursor - 1);
	}

	right(): void {
		this.#cursor = Math.min(this.#chars.length, this.#cursor + 1);
	}

	home(): void {
		this.#cursor = 0;
	}

	end(): void {
		this.#cursor = this.#chars.length;
	}

	/** Ctrl-U: everything before the cursor goes (the whole line when the cursor is at its end). */
	killToStart(): void {
		this.#chars.splice(0, this.#cursor);
		this.#cursor = 0;
	}

	/** Ctrl-K: everything from the cursor on goes. */
	killToEnd(): void {
		this.#chars.splice(this.#cursor);
	}

	/** Ctrl-W: back to the last space, as a shell's unix-word-rubout (`foo/bar` goes whole). */
	killWordBack(): void {
		const isSpace = (cluster: string) => /\s/u.test(cluster);
		let start = this.#cursor;
		while (start > 0 && isSpace(this.#chars[start - 1]!)) {
			start--;
		}

		while (start > 0 && !isSpace(this.#chars[start - 1]!)) {
			start--;
		}

		this.#chars.splice(start, this.#cursor - start);
		this.#cursor = start;
	}

	/** Alt-B: to the start of this word, or of the one before. */
	wordLeft(): void {
		this.#cursor = this.#wordStart();
	}

	/** Alt-F: to the end of this word, or of the next one. */
	wordRight(): void {
		let at = this.#cursor;
		while (at < this.#chars.length && !isWordChar(this.#chars[at]!)) {
			at++;
		}

		while (at < this.#chars.length && isWordChar(this.#chars[at]!)) {
			at++;
		}

		this.#cursor = at;
	}

	/** ↑: the entry before the one shown (the line being typed is kept for ↓ to come back to). */
	historyBack(): void {
		const entries = this.#history?.entries ?? [];
		if (this.#historyAt === 0) {
			return;
		}

		if (this.#historyAt === entries.length) {
			this.#draft = this.text;
		}

		this.#historyAt--;
		this.set(entries[this.#historyAt]!);
	}

	/** ↓: the entry after the one shown, and at the end the line that was being typed. */
	historyForward(): void {
		const entries = this.#history?.entries ?? [];
		if (this.#historyAt >= entries.length) {
			return;
		}

		this.#historyAt++;
		this.set(this.#historyAt === entries.length ? this.#draft : entries[this.#historyAt]!);
	}

	#wordStart(): number {
		let at = this.#cursor;
		while (at > 0 && !isWordChar(this.#chars[at - 1]!)) {
			at--;
		}

		while (at > 0 && isWordChar(this.#chars[at - 1]!)) {
			at--;
		}

		return at;
	}
}
