import type {Level} from '../protocol/levels.js';
import {sourceProblem} from '../protocol/source.js';
import {PromptHistory} from './line-editor.js';
import {Pane, type StreamFactory} from './pane.js';
import {nextTimestampMode, type TimestampMode} from './timestamps.js';

export const MAX_PANES = 9;

export type WorkspaceOptions = {
	factory: StreamFactory;
	scrollback?: number;
	level?: Level;
	timestamps?: TimestampMode;
	/** Stream names need a server; full http(s) URLs do not. */
	server?: string;
};

/**
 * The set of panes and what applies across them: focus, zoom, the timestamp mode, a short message for
 * the status bar. Plain TypeScript: the UI subscribes and redraws at its own pace.
 */
export class Workspace {
	readonly panes: Pane[] = [];
	focus = 0;
	zoomed = false;
	timestamps: TimestampMode;
	/** Earlier filters and searches, for ↑ in their prompts. */
	readonly histories = {filter: new PromptHistory(), search: new PromptHistory()};
	/** A short message for the status bar (`copied 42 characters`), until `until`. */
	message?: {text: string; until: number; error: boolean};
	readonly #listeners = new Set<(urgent: boolean) => void>();

	readonly #options: WorkspaceOptions;

	constructor(options: WorkspaceOptions) {
		this.#options = options;
		this.timestamps = options.timestamps ?? 'relative';
	}

	get focused(): Pane | undefined {
		return this.panes[this.focus];
	}

	/** `urgent` changes (a key was pressed) want a frame now; log traffic waits for the next frame slot. */
	subscribe(listener: (urgent: boolean) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	changed = (urgent = false): void => {
		for (const listener of this.#listeners) {
			listener(urgent);
		}
	};

	/** Opens a pane on a source and focuses it; returns what is wrong instead when it cannot. */
	open(source: string): string | undefined {
		const problem = sourceProblem(source, this.#options.server);
		if (problem) {
			return problem;
		}

		if (this.panes.length >= MAX_PANES) {
			return `${MAX_PANES} panes at most: close one with x first`;
		}

		const pane = new Pane(
			source.trim(),
			this.#options.factory,
			{scrollback: this.#options.scrollback, level: this.#options.level},
			this.changed,
		);
		this.panes.push(pane);
		this.focus = this.panes.length - 1;
		pane.start();
		this.changed();
		return undefined;
	}

	closeFocused(): void {
		const [pane] = this.panes.splice(this.focus, 1);
		pane?.close();
		this.focus = Math.min(this.focus, Math.max(0, this.panes.length - 1));
		if (this.panes.length <= 1) {
			this.zoomed = false;
		}

		this.changed();
	}

	focusBy(step: number): void {
		if (this.panes.length > 0) {
			this.focus = (this.focus + step + this.panes.length) % this.panes.length;
			this.changed();
		}
	}

	focusIndex(index: number): void {
		if (index >= 0 && index < this.panes.length) {
			this.focus = index;
			this.changed();
		}
	}

	toggleZoom(): void {
		this.zoomed = !this.zoomed && this.panes.length > 1;
		this.changed();
	}

	cycleTimestamps(): void {
		this.timestamps = nextTimestampMode(this.timestamps);
		this.changed();
	}

	/** `P`: pauses every pane, or resumes them all when all are paused. */
	togglePauseAll(): void {
		const pause = this.panes.some((pane) => !pane.store.paused);
		for (const pane of this.panes) {
			pane.store.setPaused(pause);
		}

		this.changed();
	}

	say(text: string, error = false, now = Date.now()): void {
		this.message = {text, until: now + 3000, error};
		this.changed();
	}

	/** Takes the message away before its time. */
	hush(): void {
		this.message = undefined;
	}

	/** Panes on screen: the focused one alone when zoomed. */
	visiblePanes(): Pane[] {
		const focused = this.focused;
		return this.zoomed && focused ? [focused] : this.panes;
	}

	dispose(): void {
		for (const pane of this.panes.splice(0)) {
			pane.close();
		}

		this.#listeners.clear();
	}
}
