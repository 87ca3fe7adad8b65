import {parseStreamName, StreamNameError, type StreamRef} from './streams.js';

/** A source as typed that cannot be opened; the message names the problem and the way out. */
export class SourceError extends Error {}

/** What a pane or `follow` reads: a stream name on a dbtail server, or any SSE URL. */
export type Source = {url: URL; ref?: undefined; server?: undefined} | {ref: StreamRef; server: URL; url?: undefined};

export function isUrlSource(source: string): boolean {
	return /^https?:\/\//i.test(source.trim());
}

/** An http(s) URL without credentials in it (they belong in a token, not in logs and `ps`). */
export function parseHttpUrl(value: string, what: string): URL {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new SourceError(`${what} "${value}" is not a URL`);
	}

	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new SourceError(`${what} "${value}" must start with http:// or https://`);
	}

	if (url.username || url.password) {
		throw new SourceError(`${what} must not carry a user or password: pass --token or run "dbtail login"`);
	}

	return url;
}

/**
 * Reads a source as the user typed it. A stream name needs a server (`server`); a URL does not.
 * Throws a SourceError whose message names what is wrong: the viewer, its picker and `follow` all say
 * the same thing about the same mistake.
 */
export function parseSource(source: string, server: string | undefined): Source {
	const text = source.trim();
	if (isUrlSource(text)) {
		return {url: parseHttpUrl(text, 'source')};
	}

	let ref: StreamRef;
	try {
		ref = parseStreamName(text);
	} catch (error) {
		throw error instanceof StreamNameError ? new SourceError(error.message) : error;
	}

	if (!server) {
		throw new SourceError(`no server for "${text}": pass --server URL, set DBTAIL_SERVER, or run "dbtail config set server URL"`);
	}

	return {ref, server: parseHttpUrl(server, 'server')};
}

/** The same check as parseSource, as the message to show (undefined when the source can be opened). */
export function sourceProblem(source: string, server: string | undefined): string | undefined {
	try {
		parseSource(source, server);
		return undefined;
	} catch (error) {
		if (error instanceof SourceError) {
			return error.message;
		}

		throw error;
	}
}
