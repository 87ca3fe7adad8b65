import type {RunSummary} from '../protocol/api.js';
import {LineEditor} from './line-editor.js';
import {entityName, type RunAccess, type RunEntity} from './run-access.js';
import type {ViewerKey} from './viewer-key.js';

/** `retrying`: the read that failed is asked again every few seconds while the list is open. */
export type RunListLoad = {state: 'loading'} | {state: 'ready'} | {state: 'error'; message: string; retrying: boolean};

/** How long a failed page waits before it is asked again (a server restarting, a network that comes back). */
export const RUN_LIST_RETRY_MS = 3000;

/** Rows from the end of what is held at which the next page is asked for, so moving down rarely waits. */
const READ_AHEAD = 5;

/**
 * `H`: an automation's or pipeline's runs, newest first, read a page at a time as the chosen row nears the
 * end of what is held; `/` asks the server which runs' lines match a pattern (`grep=`) and the list says
 * how many. A page that fails is asked again every few seconds while the list is open, as the overview of a
 * running run is. Model state: keys typed before a page lands all count. It draws nothing (ui/run-list.tsx).
 */
export class RunListState {
	entity: RunEntity | undefined;
	runs: RunSummary[] = [];
	load: RunListLoad = {state: 'loading'};
	selected = 0;
	/** The pattern the marks are of; undefined for none. */
	grep: string | undefined;
	/** The `/` line while it is typed. */
	query: LineEditor | undefined;
	/** Keys typed before the first page came: they act on it once it is there. */
	readonly waiting: ViewerKey[] = [];
	readonly #access: RunAccess;
	readonly #onChange: () => void;
	/** The run to read before next (`next` of the last page); null when the oldest is held. */
	#next: string | null = null;
	#reading = false;
	/** A new pattern starts the list again: answers to an older one are dropped. */
	#generation = 0;
	readonly #retryMs: number;
	/** The failed read asked again; cleared by any read, and when the list closes. */
	#retry: NodeJS.Timeout | undefined;
	#closed = false;

	/** `entity` may still be looked up (a task's automation, from the catalog); a string says why there is none. */
	constructor(access: RunAccess, entity: Promise<RunEntity | string>, onChange: () => void, retryMs = RUN_LIST_RETRY_MS) {
		this.#access = access;
		this.#onChange = onChange;
		this.#retryMs = retryMs;
		entity.then(
			(found) => {
				if (this.#closed) {
					return;
				}

				if (typeof found === 'string') {
					// No automation or pipeline to list: nothing asking again would change.
					this.#fail(found, false);
					return;
				}

				this.entity = found;
				this.#read(undefined);
			},
			(error: unknown) => {
				if (!this.#closed) {
					this.#fail(error instanceof Error ? error.message : String(error), false);
				}
			},
		);
	}

	/** Closed: no more asking, and answers still on their way change nothing. */
	dispose(): void {
		this.#closed = true;
		clearTimeout(this.#retry);
	}

	get title(): string {
		return this.entity ? `Runs of ${entityName(this.entity)}` : 'Runs';
	}

	/** Whether a page is being read (the first, or one further down). */
	get reading(): boolean {
		return this.#reading;
	}

	/** Whether older runs are left to read. */
	get more(): boolean {
		return this.#next !== null;
	}

	choice(): RunSummary | undefined {
		return this.runs[this.selected];
	}

	move(step: number): void {
		this.selected = Math.max(0, Math.min(this.runs.length - 1, this.selected + step));
		if (this.selected >= this.runs.length - READ_AHEAD && this.#next !== null && !this.#reading) {
			this.#read(this.#next);
		}
	}

	/** `/`: a pattern line opens, holding the pattern of the marks shown. */
	startQuery(): void {
		this.query = new LineEditor(this.grep ?? '');
	}

	/** Enter on the `/` line: the list is read again with each run's matches counted (an empty line: no marks). */
	submitQuery(): void {
		const text = this.query?.text.trim() ?? '';
		this.query = undefined;
		this.grep = text === '' ? undefined : text;
		if (this.entity) {
			this.#generation++;
			this.runs = [];
			this.selected = 0;
			this.#next = null;
			this.#reading = false;
			this.load = {state: 'loading'};
			this.#read(undefined);
		}
	}

	#fail(message: string, retrying: boolean): void {
		this.load = {state: 'error', message, retrying};
		this.#onChange();
	}

	#read(before: string | undefined): void {
		const generation = this.#generation;
		clearTimeout(this.#retry);
		this.#reading = true;
		this.#access.runs(this.entity!, before, this.grep).then(
			(answer) => {
				if (this.#closed || generation !== this.#generation) {
					return;
				}

				this.#reading = false;
				this.runs.push(...answer.runs);
				this.#next = answer.next;
				this.load = {state: 'ready'};
				this.#onChange();
			},
			(error: unknown) => {
				if (this.#closed || generation !== this.#generation) {
					return;
				}

				this.#reading = false;
				this.#fail(error instanceof Error ? error.message : String(error), true);
				this.#again(before, generation);
			},
		);
	}

	/** The same page in a few seconds, unless another read has begun meanwhile; the timer alone never keeps the process up. */
	#again(before: string | undefined, generation: number): void {
		this.#retry = setTimeout(() => {
			if (!this.#closed && !this.#reading && generation === this.#generation) {
				this.#read(before);
			}
		}, this.#retryMs);
		this.#retry.unref();
	}
}
