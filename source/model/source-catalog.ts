import Fuse from 'fuse.js';
import {TokenSource} from '../client/token-source.js';
import type {Catalog} from '../protocol/api.js';
import type {RunStatus} from '../protocol/record.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {apiUrl} from '../protocol/streams.js';

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

/** Fuzzy matching over the entries; an empty query lists them all in catalog order. */
export function searchSources(entries: SourceEntry[], query: string, limit: number): SourceEntry[] {
	if (query.trim() === '') {
		return entries.slice(0, limit);
	}

	const fuse = new Fuse(entries, {keys: ['name', 'parent'], threshold: 0.4, ignoreLocation: true});
	return fuse.search(query.trim(), {limit}).map((result) => result.item);
}

export type CatalogOptions = {server?: string; token?: string; tokenCommand?: string};

/**
 * `GET {server}/api/catalog` with the bearer token in a header (never the URL), refreshing it once with
 * the token command on a 401. Rejects with a message fit for the picker's error line.
 */
export async function fetchCatalog(options: CatalogOptions, signal?: AbortSignal): Promise<SourceEntry[]> {
	if (!options.server) {
		throw new Error('no server to list sources from: pass --server URL or run "dbtail config set server URL"');
	}

	const url = apiUrl(options.server, '/api/catalog');
	const tokens = new TokenSource(options.token, options.tokenCommand);
	const get = async () => fetch(url, {headers: {accept: 'application/json', ...tokens.headers()}, signal});
	let response: Response;
	try {
		response = await get();
		if (response.status === 401 && tokens.canRefresh) {
			await tokens.refresh();
			response = await get();
		}
	} catch (error) {
		const cause = (error as {cause?: {code?: string}}).cause?.code;
		throw new Error(`cannot reach ${url.origin}${cause ? ` (${cause})` : `: ${(error as Error).message}`}`);
	}

	if (!response.ok) {
		throw new Error(`the server answered ${response.status} ${sanitizeInline(response.statusText)} for the catalog`);
	}

	return catalogEntries((await response.json()) as Catalog);
}
