import type {RunSummary} from '../protocol/api.js';
import {parseStreamName} from '../protocol/streams.js';
import type {Pane} from './pane.js';
import {entityName, sourceAtRun, streamRefOf, type RunAccess, type RunEntity} from './run-access.js';
import type {SourceEntry} from './source-catalog.js';
import type {Workspace} from './workspace.js';

/** Runs one request of the run list asks for. */
export const RUNS_PAGE = 50;
/** Pages `[` reads looking for the pane's run among the entity's: 1,000 runs back, then it says so. */
const MAX_PAGES = 20;

/** `automation/etl` from a catalog owner's name, if it is one. */
function entityFromName(name: string): RunEntity | undefined {
	const ref = streamRefOf(name);
	return ref && (ref.kind === 'automation' || ref.kind === 'pipeline') && ref.id ? {kind: ref.kind, id: ref.id} : undefined;
}

/**
 * The automation or pipeline whose runs a pane steps through: its own source's, or for a task (artifact)
 * the owner its records named, else the catalog's; a string saying why not where there is none.
 */
export async function paneEntity(pane: Pane, loadSources: () => Promise<SourceEntry[]>): Promise<RunEntity | string> {
	const ref = streamRefOf(pane.source);
	if (!ref || ref.kind === 'all') {
		return `${ref ? 'all' : 'a URL source'} has no runs of its own: open an automation, pipeline, task or artifact`;
	}

	if (ref.kind === 'automation' || ref.kind === 'pipeline') {
		return {kind: ref.kind, id: ref.id!};
	}

	if (pane.owner) {
		return pane.owner;
	}

	const name = sourceAtRun(ref, undefined);
	const entry = (await loadSources()).find((each) => each.name === name);
	const owner = entry?.owners?.map((each) => entityFromName(each)).find(Boolean);
	return owner ?? `no automation or pipeline is known for ${name} yet: it has logged nothing`;
}

/** The entity's runs, newest first, read until `wanted` (and `extra` runs before it) is among them, or none is left. */
async function runsThrough(access: RunAccess, entity: RunEntity, wanted: string | undefined, extra: number): Promise<{runs: RunSummary[]; index: number}> {
	const runs: RunSummary[] = [];
	let before: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const answer = await access.runs(entity, before);
		runs.push(...answer.runs);
		const index = wanted === undefined ? 0 : runs.findIndex((run) => run.runId === wanted);
		if ((index >= 0 && runs.length > index + extra) || answer.next === null) {
			return {runs, index};
		}

		before = answer.next;
	}

	return {runs, index: wanted === undefined ? 0 : runs.findIndex((run) => run.runId === wanted)};
}

/**
 * `[` and `]`: the focused pane moves to an earlier or later run of its automation or pipeline, replaced in
 * place (its number, filter, level and search kept); `]` past the newest run, or `G`, is the live run again.
 * The run list is read from the server while keys go on landing: `[[[` typed before it comes is three
 * runs back, one request.
 */
export class RunSteps {
	readonly #workspace: Workspace;
	readonly #access: RunAccess | undefined;
	readonly #loadSources: () => Promise<SourceEntry[]>;
	/** Steps asked for per pane while its run list is read (positive: further back). */
	readonly #pending = new Map<Pane, number>();

	constructor(workspace: Workspace, access: RunAccess | undefined, loadSources: () => Promise<SourceEntry[]>) {
		this.#workspace = workspace;
		this.#access = access;
		this.#loadSources = loadSources;
	}

	/** `steps` runs back (negative: forward) from the run the pane shows. */
	step(pane: Pane, steps: number): void {
		const pending = this.#pending.get(pane);
		if (pending !== undefined) {
			this.#pending.set(pane, pending + steps);
			return;
		}

		if (!this.#access) {
			this.#workspace.say('no dbtail server: runs are read from one', true);
			return;
		}

		this.#pending.set(pane, steps);
		pane.runActivity = 'reading runs…';
		this.#workspace.changed(true);
		void this.#move(pane, this.#access).then(
			(problem) => {
				this.#settle(pane, problem);
			},
			(error: unknown) => {
				this.#settle(pane, error instanceof Error ? error.message : String(error));
			},
		);
	}

	/** `G` in a pane moved to an earlier run: back to the live run; false for a pane that is not so moved. */
	live(pane: Pane): boolean {
		if (!pane.pin) {
			return false;
		}

		this.#workspace.replace(pane, pane.pin.live);
		return true;
	}

	#settle(pane: Pane, problem: string | undefined): void {
		this.#pending.delete(pane);
		pane.runActivity = undefined;
		if (problem) {
			this.#workspace.say(problem, true);
		}

		this.#workspace.changed(true);
	}

	async #move(pane: Pane, access: RunAccess): Promise<string | undefined> {
		const entity = await paneEntity(pane, this.#loadSources);
		if (typeof entity === 'string') {
			return entity;
		}

		const ref = parseStreamName(pane.source);
		const shown = ref.run ?? pane.run?.runId;
		const {runs, index} = await runsThrough(access, entity, shown, Math.max(0, this.#pending.get(pane) ?? 0));
		if (!this.#workspace.panes.includes(pane)) {
			return undefined;
		}

		if (index < 0) {
			return `run ${shown!} is not among the runs of ${entityName(entity)}`;
		}

		const target = index + (this.#pending.get(pane) ?? 0);
		const live = sourceAtRun(ref, undefined);
		if (target <= 0) {
			if (ref.run === undefined) {
				return 'this is the live run: [ goes to earlier ones';
			}

			this.#workspace.replace(pane, live);
			return undefined;
		}

		if (target > index && index === runs.length - 1) {
			return `no run of ${entityName(entity)} before ${runs[index]!.runId}`;
		}

		const run = runs[Math.min(target, runs.length - 1)]!;
		this.#workspace.replace(pane, sourceAtRun(ref, run.runId), {live, back: runs.indexOf(run), run});
		return undefined;
	}
}
