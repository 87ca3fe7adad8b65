import type {RunSummary} from '../protocol/api.js';
import {LineEditor} from './line-editor.js';
import {entityName, type RunAccess, type RunEntity} from './run-access.js';
import type {ViewerKey} from './viewer-key.js';

export type RunListLoad = {state: 'loading'} | {state: 'ready'} | {state: 'error'; message: string};

/** Rows from the end of what is held at which the next page is asked for, so moving down rarely waits. */
const READ_AHEAD = 5;

/**
 * `H`: an automation's or pipeline's runs, newest first, read a page at a time as the chosen row nears the
 * end of what is held; `/` asks the server which runs' lines match a pattern (`grep=`) and the list says
 * how many. Model state: keys typed before a page lands all count. It draws nothing (ui/run-list.tsx).
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

	/** `entity` may still be looked up (a task's automation, from the catalog); a string says why there is none. */
	constructor(access: RunAccess, entity: Promise<RunEntity | string>, onChange: () => void) {
		this.#access = access;
		this.#onChange = onChange;
		entity.then(
			(found) => {
				if (typeof found === 'string') {
					this.#fail(found);
					return;
				}

				this.entity = found;
				this.#read(undefined);
			},
			(error: unknown) => {
				this.#fail(error instanceof Error ? error.message : String(error));
			},
		);
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

	#fail(message: string): void {
		this.load = {state: 'error', message};
		this.#onChange();
	}

	#read(before: string | undefined): void {
		const generation = this.#generation;
		this.#reading = true;
		this.#access.runs(this.entity!, before, this.grep).then(
			(answer) => {
				if (generation !== this.#generation) {
					return;
				}

				this.#reading = false;
				this.runs.push(...answer.runs);
				this.#next = answer.next;
				this.load = {state: 'ready'};
				this.#onChange();
			},
			(error: unknown) => {
				if (generation !== this.#generation) {
					return;
				}

				this.#reading = false;
				this.#fail(error instanceof Error ? error.message : String(error));
			},
		);
	}
}
