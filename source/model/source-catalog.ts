import * as fzf from 'fzf';
import type {Catalog} from '../protocol/api.js';
import type {Run, RunStatus} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';

/**
 * One source the picker offers: a stream name, the state of its entity's current run, and for a task
 * (artifact) the automations (pipelines) that logged it, which the row can also be found by.
 */
export type SourceEntry = {name: string; status?: RunStatus; owners?: string[]};

const RUN_STATUSES: ReadonlySet<unknown> = new Set<RunStatus>(['running', 'succeeded', 'failed', 'cancelled']);

/** A status the server sent, if it is one the protocol knows: nothing else from it reaches the screen. */
function knownStatus(run: {status?: unknown} | null | undefined): RunStatus | undefined {
	return RUN_STATUSES.has(run?.status) ? (run!.status as RunStatus) : undefined;
}

type Owner = {name: string; currentRun?: Run | null};

/**
 * Flattens the catalog into stream names: automations and their tasks, pipelines and their artifacts.
 * A task id logged by two automations is one row: `task/t1` names the task in every automation that
 * logged it and follows the newest of their runs (docs/protocol.md), so two rows would both open the same
 * stream. Its status is that newest run's.
 */
export function catalogEntries(catalog: Catalog): SourceEntry[] {
	const entries: SourceEntry[] = [{name: 'all'}];
	const children = new Map<string, {entry: SourceEntry; newest?: Run}>();
	const addChild = (name: string, owner: Owner) => {
		const run = owner.currentRun ?? undefined;
		const known = children.get(name);
		if (!known) {
			const entry: SourceEntry = {name, status: knownStatus(run), owners: [owner.name]};
			children.set(name, {entry, newest: run});
			entries.push(entry);
			return;
		}

		known.entry.owners!.push(owner.name);
		if (run && (!known.newest || String(run.startedAt) > String(known.newest.startedAt))) {
			known.newest = run;
			known.entry.status = knownStatus(run);
		}
	};

	for (const automation of catalog.automations ?? []) {
		const owner = {name: `automation/${automation.id}`, currentRun: automation.currentRun};
		entries.push({name: owner.name, status: knownStatus(automation.currentRun)});
		for (const task of automation.tasks ?? []) {
			addChild(`task/${task}`, owner);
		}
	}

	for (const pipeline of catalog.pipelines ?? []) {
		const owner = {name: `pipeline/${pipeline.id}`, currentRun: pipeline.currentRun};
		entries.push({name: owner.name, status: knownStatus(pipeline.currentRun)});
		for (const artifact of pipeline.artifacts ?? []) {
			addChild(`artifact/${artifact}`, owner);
		}
	}

	// Names come from the server: never let one carry a control character to the screen.
	return entries.map((entry) => ({
		...entry,
		name: sanitizeInline(entry.name),
		...(entry.owners ? {owners: entry.owners.map((owner) => sanitizeInline(owner))} : {}),
	}));
}

/*
 * The part of fzf 0.5 used here, typed. Its .d.ts files re-export from paths without an extension
 * (`export * from "./matchers"`), which NodeNext resolution cannot follow: TypeScript sees `Fzf` with
 * untyped options and no `extendedMatch` or `byLengthAsc` at all. These are the types its docs give.
 */
type Result = {item: SourceEntry; score: number};
type Selector = (entry: SourceEntry) => string;
type Tiebreaker = (a: Result, b: Result, selector: Selector) => number;
type FzfOptions = {selector: Selector; match: unknown; tiebreakers: Tiebreaker[]};
const {Fzf, extendedMatch, byLengthAsc} = fzf as unknown as {
	Fzf: new (list: readonly SourceEntry[], options: FzfOptions) => {find(query: string): Result[]};
	extendedMatch: unknown;
	byLengthAsc: Tiebreaker;
};

/**
 * fzf's own tie-break (the shorter text first, then the catalog's order), except among rows that only
 * passed `!not` terms: those score 0 and stay in the catalog's order, as fzf keeps its input's.
 */
const shorterFirst: Tiebreaker = (a, b, selector) => (a.score === 0 ? 0 : byLengthAsc(a, b, selector));

type Finder = {find(query: string): Result[]};

function finder(entries: readonly SourceEntry[], text: Selector): Finder {
	// No `limit` here: fzf cuts before it breaks ties, which could drop a shorter name for a longer one.
	return new Fzf(entries, {selector: text, match: extendedMatch, tiebreakers: [shorterFirst]});
}

/** fzf reads every text once, when built: a catalog is searched on every key, so its finders are kept. */
const finders = new WeakMap<readonly SourceEntry[], {byName: Finder; byOwner: Finder}>();

function findersOf(entries: readonly SourceEntry[]): {byName: Finder; byOwner: Finder} {
	let known = finders.get(entries);
	if (!known) {
		const owned = entries.filter((entry) => entry.owners !== undefined);
		known = {
			byName: finder(entries, (entry) => entry.name),
			byOwner: finder(owned, (entry) => `${entry.name} ${entry.owners!.join(' ')}`),
		};
		finders.set(entries, known);
	}

	return known;
}

/**
 * The picker's search, with fzf's algorithm and its extended syntax: `rprt` (fuzzy), `'exact`, `^prefix`,
 * `suffix$`, `!not`, `a|b`, and a space for "and"; smart case (an upper-case letter makes it exact).
 * The query is matched against the source name first, best first; then a task or artifact whose name
 * alone does not match may still match with its owners' names (`nightly load` finds `task/load` of
 * `automation/nightly-etl`), after those. An empty query lists the entries in catalog order. The entries
 * are read as they were on the first search of that array: a new catalog is a new array.
 */
export function searchSources(entries: readonly SourceEntry[], query: string, limit: number): SourceEntry[] {
	if (query.trim() === '') {
		return entries.slice(0, limit);
	}

	const {byName, byOwner} = findersOf(entries);
	const named = byName.find(query).map((result) => result.item);
	const found = new Set(named);
	const owned = byOwner.find(query).map((result) => result.item).filter((entry) => !found.has(entry));
	return [...named, ...owned].slice(0, limit);
}
