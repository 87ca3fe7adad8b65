import {catalogEntries} from '../model/source-catalog.js';
import type {Catalog} from '../protocol/api.js';
import {isUrlSource} from '../protocol/source.js';
import {ENTITY_ID_RULE, parseStreamName} from '../protocol/streams.js';
import {UsageError} from '../errors.js';

/*
 * `dbtail follow 'automation/etl-*' 'task/load-?'`: a source whose id holds `*` (any run of characters) or
 * `?` (one character) names every matching source in the server's catalog, as stern's pod query does.
 * Ids never hold either character (ENTITY_ID), so a glob cannot be mistaken for a name. The kind is always
 * spelled out: it says which list of the catalog to match, and `*\/x` would mix automations and tasks.
 * `?run=` pins a source to one run; a run belongs to one entity, so a glob is never pinned.
 */

export type SourceGlob = {text: string; kind: 'automation' | 'task' | 'pipeline' | 'artifact'; pattern: RegExp};

const GLOB_KINDS = new Set(['automation', 'task', 'pipeline', 'artifact']);
/** What an id may hold (ENTITY_ID's characters) plus the two wildcards. */
const GLOB_ID = /^[\w.*?-]{1,128}$/;
const PINNED = /\?run=[^?*]*$/;

/** True when `text` is a glob over the catalog rather than one source; URLs never are (`?` starts their query). */
export function isSourceGlob(text: string): boolean {
	const trimmed = text.trim();
	return !isUrlSource(trimmed) && /[*?]/.test(trimmed.replace(PINNED, ''));
}

/** Reads a glob as typed; a UsageError names what is wrong with it. */
export function parseSourceGlob(text: string): SourceGlob {
	const trimmed = text.trim();
	if (PINNED.test(trimmed)) {
		throw new UsageError(`"${trimmed}" is a glob pinned to a run: a run belongs to one entity, so name it (or drop ?run=)`);
	}

	const slash = trimmed.indexOf('/');
	const kind = trimmed.slice(0, slash);
	const id = trimmed.slice(slash + 1);
	if (slash < 0 || !GLOB_KINDS.has(kind)) {
		throw new UsageError(`glob "${trimmed}" needs a kind before its id: automation/, task/, pipeline/ or artifact/ (e.g. "automation/etl-*")`);
	}

	if (!GLOB_ID.test(id)) {
		throw new UsageError(`bad glob "${trimmed}": its id is ${ENTITY_ID_RULE}, with * for any run of them and ? for one`);
	}

	const body = [...id].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.\\]/, '\\$&'))).join('');
	return {text: trimmed, kind: kind as SourceGlob['kind'], pattern: new RegExp(`^${kind}/${body}$`)};
}

/**
 * The catalog's sources that `glob` matches, in catalog order (entities by id, a task once however many
 * automations logged it), each a stream name that can be opened: a name the server sent that is not one
 * is left out rather than followed into an error.
 */
export function matchSourceGlob(glob: SourceGlob, catalog: Catalog): string[] {
	return catalogEntries(catalog)
		.map((entry) => entry.name)
		.filter((name) => glob.pattern.test(name) && isStreamName(name));
}

function isStreamName(name: string): boolean {
	try {
		parseStreamName(name);
		return true;
	} catch {
		return false;
	}
}
