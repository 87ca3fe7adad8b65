import type {Level} from '../protocol/levels.js';
import {sourceProblem} from '../protocol/source.js';
import {layoutPanes, rectAt, type Layout} from './layout.js';
import {PromptHistory} from './line-editor.js';
import {Pane, type StreamFactory} from './pane.js';
import type {RunAccess, RunPin} from './run-access.js';
import {RunNotices, type RunNotice} from './run-notices.js';
import {nextTimestampMode, type TimestampMode} from './timestamps.js';

export const MAX_PANES = 9;

/**
 * The smallest terminal the viewer draws in: a pane's title, one line of log and the status bar, and
 * columns enough for a title, a prompt and the help to say something. Below it the screen says so.
 */
export const MIN_COLUMNS = 21;
export const MIN_ROWS = 3;

/** The terminal's size in cells. */
export type TerminalSize = {columns: number; rows: number};

export type WorkspaceOptions = {
	factory: StreamFactory;
	scrollback?: number;
	level?: Level;
	timestamps?: TimestampMode;
	/** Stream names need a server; full http(s) URLs do not. */
	server?: string;
	/** The server's run list and task summaries (`[`, `]`, `H`, `i`); none without a dbtail server. */
	runs?: RunAccess;
	/** `--quiet-mark`: seconds of quiet in a pane's live stream that are marked in line (0: never). */
	quietMark?: number;
};

/**
 * The set of panes and what applies across them: focus, zoom, the timestamp mode, a short message for
 * the status bar, and the one home of pane geometry: given the terminal's size (`resize`), it lays the
 * visible panes out, gives each pane's viewport its text area, and says which pane is under a cell
 * (`paneAt`); the grid draws from the same layout. Plain TypeScript: the UI subscribes and redraws at its
 * own pace.
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
	readonly #listeners = new Set<(urgent: boolean, unseen?: boolean) => void>();
	readonly #noticeListeners = new Set<(notice: RunNotice) => void>();
	readonly #notices = new RunNotices();
	#size: TerminalSize = {columns: 80, rows: 24};
	#layout: Layout = {rows: []};
	#fits = true;

	readonly #options: WorkspaceOptions;

	constructor(options: WorkspaceOptions) {
		this.#options = options;
		this.timestamps = options.timestamps ?? 'relative';
	}

	get focused(): Pane | undefined {
		return this.panes[this.focus];
	}

	/**
	 * The panes' area: every row but the status bar's, every column but the last (a terminal that wraps at
	 * its last column would scroll).
	 */
	get area(): {width: number; height: number} {
		return {width: Math.max(0, this.#size.columns - 1), height: Math.max(0, this.#size.rows - 1)};
	}

	/**
	 * What keeps the screen from being drawn, if anything: a terminal below MIN_COLUMNS x MIN_ROWS, or too
	 * small for the visible panes' titles (z shows one pane, x closes one). The screen says it instead of
	 * drawing rows wider or more than the terminal has, which would scroll it and break every row.
	 */
	get screenProblem(): string | undefined {
		const {columns, rows} = this.#size;
		if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
			return `too small (${columns}x${rows}): dbtail needs ${MIN_COLUMNS}x${MIN_ROWS}`;
		}

		if (!this.#fits) {
			return `${this.visiblePanes().length} panes do not fit in ${columns}x${rows}: z zooms one, x closes one`;
		}

		return undefined;
	}

	/** Where each visible pane goes (indexes into visiblePanes()), as last laid out. */
	get layout(): Layout {
		return this.#layout;
	}

	/** The terminal's size: lays the panes out again and gives each its text area. */
	resize(size: TerminalSize): void {
		this.#size = {columns: size.columns, rows: size.rows};
		this.#relayout();
	}

	/** The pane under a terminal cell (0-based), if any: the wheel scrolls that one. */
	paneAt(column: number, row: number): Pane | undefined {
		const rect = rectAt(this.#layout, column, row);
		return rect && this.visiblePanes()[rect.index];
	}

	/**
	 * `urgent` changes (a key was pressed) want a frame now; log traffic waits for the next frame slot, and
	 * `unseen` traffic (lines a paused or scrolled-back pane only counts) for a slower one.
	 */
	subscribe(listener: (urgent: boolean, unseen?: boolean) => void): () => void {
		this.#listeners.add(listener);
		return () => this.#listeners.delete(listener);
	}

	changed = (urgent = false, unseen = false): void => {
		this.#look();
		for (const listener of this.#listeners) {
			listener(urgent, unseen);
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

		const pane = this.#makePane(source);
		this.panes.push(pane);
		this.focus = this.panes.length - 1;
		this.#relayout();
		pane.start();
		this.changed();
		return undefined;
	}

	/** The server's runs and tasks, where the viewer has a dbtail server. */
	get runs(): RunAccess | undefined {
		return this.#options.runs;
	}

	/**
	 * Puts a pane on `source` in place of `old` (another run of the same source: `[`, `]`, the run list):
	 * the same number and focus, its filter, level floor, search, context and wrap kept, as a user expects of a pane
	 * that shows an earlier run of what it showed. Undefined when `old` is no longer open.
	 */
	replace(old: Pane, source: string, pin?: RunPin): Pane | undefined {
		const index = this.panes.indexOf(old);
		if (index < 0) {
			return undefined;
		}

		const pane = this.#makePane(source);
		pane.pin = pin;
		pane.owner = old.owner;
		const {store} = old;
		pane.store.setLevelFloor(store.levelFloor);
		if (store.filterText) {
			pane.store.setFilter(store.filterText);
		}

		if (store.searchText) {
			pane.store.setSearch(store.searchText);
		}

		if (pane.store.wrap !== store.wrap) {
			pane.store.toggleWrap();
		}

		pane.store.setContext(store.context);

		this.panes[index] = pane;
		old.close();
		this.#relayout();
		pane.start();
		this.changed(true);
		return pane;
	}

	/**
	 * A run's first ERROR or its end, heard by a pane the user is not looking at (run-notices.ts): the
	 * viewer rings the bell and notifies the desktop. Returns the unsubscribe.
	 */
	onNotice(listener: (notice: RunNotice) => void): () => void {
		this.#noticeListeners.add(listener);
		return () => this.#noticeListeners.delete(listener);
	}

	/**
	 * The focused pane at its live end (following, not paused) is being looked at: its unread count is
	 * read. Every change passes here (a key, a focus, a line), so the count clears as the user arrives.
	 */
	#look(): void {
		const pane = this.focused;
		if (pane?.attention.unread && pane.store.following && !pane.store.paused) {
			pane.attention.seen();
		}
	}

	#makePane(source: string): Pane {
		const pane: Pane = new Pane(
			source.trim(),
			this.#options.factory,
			{scrollback: this.#options.scrollback, level: this.#options.level, quietMark: this.#options.quietMark},
			(unseen) => {
				// A pane off screen (another is zoomed) changes nothing on it: unzooming draws it anyway.
				if (this.visiblePanes().includes(pane)) {
					this.changed(false, unseen);
				}
			},
		);
		pane.store.setTimestamps(this.timestamps);
		pane.attention.onNews = (news) => {
			const focused = this.focused;
			const notice = this.#notices.decide(news, {paneId: pane.id, source: pane.pin?.live ?? pane.source, focused: focused === pane, focusedRunId: focused?.run?.runId});
			if (notice) {
				for (const listener of this.#noticeListeners) {
					listener(notice);
				}
			}
		};
		return pane;
	}

	closeFocused(): void {
		const [pane] = this.panes.splice(this.focus, 1);
		pane?.close();
		this.focus = Math.min(this.focus, Math.max(0, this.panes.length - 1));
		if (this.panes.length <= 1) {
			this.zoomed = false;
		}

		this.#relayout();
		this.changed();
	}

	focusBy(step: number): void {
		if (this.panes.length > 0) {
			this.focus = (this.focus + step + this.panes.length) % this.panes.length;
			this.#relayout();
			this.changed();
		}
	}

	focusIndex(index: number): void {
		if (index >= 0 && index < this.panes.length) {
			this.focus = index;
			this.#relayout();
			this.changed();
		}
	}

	toggleZoom(): void {
		this.zoomed = !this.zoomed && this.panes.length > 1;
		this.#relayout();
		this.changed();
	}

	cycleTimestamps(): void {
		this.timestamps = nextTimestampMode(this.timestamps);
		for (const pane of this.panes) {
			pane.store.setTimestamps(this.timestamps);
		}

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
		this.#noticeListeners.clear();
	}

	/** Lays the visible panes out in the panes' area; each pane's text area is its rect less the title row. */
	#relayout(): void {
		const panes = this.visiblePanes();
		const {width, height} = this.area;
		const layout = layoutPanes(panes.length, width, height);
		this.#fits = layout !== undefined;
		// Panes that do not fit keep the text area they had: nothing is drawn until they fit again.
		this.#layout = layout ?? {rows: []};
		for (const rect of this.#layout.rows.flat()) {
			panes[rect.index]!.store.resize({rows: Math.max(0, rect.height - 1), width: rect.width});
		}
	}
}
