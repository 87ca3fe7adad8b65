import {UsageError} from '../errors.js';
import {parseHttpUrl, SourceError} from '../protocol/source.js';

/** A server URL as saved in a profile: http(s), no credentials or query, no trailing slash. */
export function normalizeServer(value: string): string {
	let url: URL;
	try {
		url = parseHttpUrl(value, 'server');
	} catch (error) {
		throw error instanceof SourceError ? new UsageError(error.message) : error;
	}

	if (url.search) {
		throw new UsageError('the server URL must not carry a query: save the token with "dbtail login"');
	}

	return url.href.replace(/\/$/, '');
}
