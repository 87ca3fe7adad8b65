import {fuzzyFilter} from './fuzzy-match.js';
import type {Catalog} from '../protocol/api.js';
import type {RunStatus} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';

/** One source the picker offers: a stream name and the state of its entity's current run. */
export type SourceEntry = {name: string; status?: RunStatus; parent?: string};

const RUN_STATUSES: ReadonlySet<unknown> = new Set<RunStatus>(['running', 'succeeded', 'failed', 'cancelled']);

/** A status the server sent, if it is one the protocol knows: nothing else from it reaches the screen. */
function knownStatus(run: {status?: unknown} | null | undefined): RunStatus | undefined {
	return RUN_STATUSES.has(run?.status) ? (run!.status as RunStatus) : undefined;
}

/** Flattens the catalog into stream names: automations and their tasks, pipelines and their artifacts. */
export function catalogEntries(catalog: Catalog): SourceEntry[] {
	const entries: SourceEntry[] = [{name: 'all'}];
	for (const automation of catalog.automations ?? []) {
		const status = knownStatus(automation.currentRun);
		entries.push({name: `automation/${automation.id}`, status});
		for (const task of automation.tasks ?? []) {
			entries.push({name: `task/${task}`, status, parent: `automation/${automation.id}`});
		}
	}

	for (const pipeline of catalog.pipelines ?? []) {
		const status = knownStatus(pipeline.currentRun);
		entries.push({name: `pipeline/${pipeline.id}`, status});
		for (const artifact of pipeline.artifacts ?? []) {
			entries.push({name: `artifact/${artifact}`, status, parent: `pipeline/${pipeline.id}`});
		}
	}

	// Names come from the server: never let one carry a control character to the screen.
	return entries.map((entry) => ({...entry, name: sanitizeInline(entry.name)}));
}

/** Fuzzy matching (fzf's subsequences) over the entries; an empty query lists them all in catalog order. */
export function searchSources(entries: SourceEntry[], query: string, limit: number): SourceEntry[] {
	if (query.trim() === '') {
		return entries.slice(0, limit);
	}

	return fuzzyFilter(entries, query, (entry) => (entry.parent ? [entry.name, entry.parent] : [entry.name]), limit);
}
