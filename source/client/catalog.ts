import type {Catalog} from '../protocol/api.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {apiUrl} from '../protocol/streams.js';
import {MAX_CATALOG_ANSWER_BYTES, readCappedJson} from './capped-body.js';
import {TokenSource} from './token-source.js';

export type CatalogOptions = {server?: string; token?: string; tokenCommand?: string};

/**
 * `GET {server}/api/catalog` with the bearer token in a header (never the URL), refreshing it once with
 * the token command on a 401. Rejects with a message fit for the picker's error line.
 */
export async function fetchCatalog(options: CatalogOptions, signal?: AbortSignal): Promise<Catalog> {
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
		throw new Error(`cannot reach ${url.origin}${cause ? ` (${cause})` : `: ${(error as Error).message}`}`, {cause: error});
	}

	if (!response.ok) {
		await response.body?.cancel().catch(() => {});
		throw new Error(`the server answered ${response.status} ${sanitizeInline(response.statusText)} for the catalog`);
	}

	return (await readCappedJson(response, MAX_CATALOG_ANSWER_BYTES, 'a catalog')) as Catalog;
}
