import {fetchCatalog, type CatalogOptions} from '../client/catalog.js';
import type {LogStreamOptions} from '../client/types.js';
import {credentialsFor, type Connection} from '../config/connection.js';
import {count} from '../model/count-text.js';
import {isUrlSource, parseSource, sourceProblem} from '../protocol/source.js';
import {UsageError} from '../errors.js';
import {pinRun, type RunChoice} from './run-choice.js';
import {MAX_SOURCES, type FollowOptions, type FollowSource} from './run-follow.js';
import {isSourceGlob, matchSourceGlob, parseSourceGlob, type SourceGlob} from './source-glob.js';

/*
 * The sources of `dbtail follow a b 'c-*'`: each one typed, and each one a glob matches in the server's
 * catalog, in that order and each once, with its own stream options (a token goes only to its own server).
 * Without --forever the globs are matched once, before any stream opens: one that matches nothing is a
 * mistake said at once (exit 2), as a misspelled source is. With --forever they are matched at once and
 * every CATALOG_POLL_MS after, and a source that appears later is followed too (CatalogWatch).
 */

/** As often as --wait asks for a source that does not exist yet. */
export const CATALOG_POLL_MS = 3000;

export type SourceListOptions = {
	args: string[];
	connection: Connection;
	/** What every source's stream shares; `source`, `token` and `tokenCommand` are set per source. */
	stream: Omit<LogStreamOptions, 'source' | 'token' | 'tokenCommand'>;
	forever: boolean;
	runChoice?: RunChoice;
	/** A line for stderr. */
	warn(text: string): void;
};

export type SourceList = Pick<FollowOptions, 'sources' | 'prefixed' | 'watch'>;

export async function listSources(options: SourceListOptions): Promise<SourceList> {
	const {args, connection} = options;
	const globs: SourceGlob[] = [];
	const names: string[] = [];
	for (const arg of args) {
		if (isSourceGlob(arg)) {
			globs.push(parseSourceGlob(arg));
			continue;
		}

		const problem = sourceProblem(arg, connection.server);
		if (problem) {
			throw new UsageError(problem);
		}

		names.push(arg.trim());
	}

	if (options.stream.tail !== undefined && names.some((name) => isUrlSource(name))) {
		options.warn('--tail is applied by dbtail servers to stream names; with a URL, put it in the URL (initial=N)');
	}

	const open = (name: string): FollowSource => ({
		name,
		stream: {...options.stream, source: name, ...credentialsFor(connection, name)},
		withEntity: parseSource(name, connection.server).ref?.kind === 'all',
	});
	const catalogOptions: CatalogOptions = {server: connection.server, ...credentialsFor(connection, 'all')};
	if (globs.length > 0 && !connection.server) {
		throw new UsageError(`no server to match "${globs[0]!.text}" against: pass --server URL, set DBTAIL_SERVER, or run "dbtail config set server URL"`);
	}

	if (globs.length > 0 && !options.forever) {
		names.push(...(await matchOnce(globs, catalogOptions)));
	}

	const unique = [...new Set(names)];
	if (unique.length > MAX_SOURCES) {
		throw new UsageError(`${count(unique.length)} sources to follow: follow takes at most ${MAX_SOURCES} at once (narrow the globs)`);
	}

	const sources = unique.map((name) => open(name));
	const {runChoice} = options;
	if (runChoice) {
		const lookup = (source: FollowSource) => ({server: connection.server!, token: source.stream.token, tokenCommand: source.stream.tokenCommand});
		// Each source in its own earlier run (`--run previous`: each one's run before its newest).
		await Promise.all(
			sources.map(async (source) => {
				source.stream.source = await pinRun(parseSource(source.name, connection.server).ref!, runChoice, lookup(source));
			}),
		);
	}

	return {
		sources,
		prefixed: args.length > 1 || globs.length > 0,
		...(globs.length > 0 && options.forever
			? {
					watch: {
						globs,
						read: async (signal: AbortSignal) => fetchCatalog(catalogOptions, signal),
						intervalMs: CATALOG_POLL_MS,
						giveUpAfterMs: options.stream.giveUpAfterMs,
						open,
					},
				}
			: {}),
	};
}

/** The sources each glob matches now; a glob that matches none, or a catalog that cannot be read, is exit 2. */
async function matchOnce(globs: SourceGlob[], catalogOptions: CatalogOptions): Promise<string[]> {
	let catalog;
	try {
		catalog = await fetchCatalog(catalogOptions);
	} catch (error) {
		throw new UsageError(`cannot match "${globs[0]!.text}": ${(error as Error).message}`);
	}

	return globs.flatMap((glob) => {
		const names = matchSourceGlob(glob, catalog);
		if (names.length === 0) {
			throw new UsageError(`no source in the catalog matches "${glob.text}" (with --forever, follow waits for one)`);
		}

		return names;
	});
}
