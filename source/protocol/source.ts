import {isLoopbackHost} from './loopback.js';
import {parseStreamName, StreamNameError, type StreamRef} from './streams.js';

/** A source as typed that cannot be opened; the message names the problem and the way out. */
export class SourceError extends Error {}

/** What a pane or `follow` reads: a stream name on a dbtail server, any SSE URL, or a WebSocket URL (ws://, wss://). */
export type Source = {url: URL; ref?: undefined; server?: undefined} | {ref: StreamRef; server: URL; url?: undefined};

export function isUrlSource(source: string): boolean {
	return /^(https?|wss?):\/\//i.test(source.trim());
}

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:\/\//i;

/**
 * A server typed without a scheme: `127.0.0.1:8080` and `localhost:8080` mean http on this machine,
 * where nothing travels over a network, so both are read as `http://...`. Any other host is left as it
 * is (and refused by parseHttpUrl): guessing http for a remote host could send a token in clear text,
 * guessing https would fail in a way that says nothing. The one rule for every command.
 */
export function withDefaultScheme(value: string): string {
	const text = value.trim();
	if (HAS_SCHEME.test(text)) {
		return text;
	}

	try {
		return isLoopbackHost(new URL(`http://${text}`).hostname) ? `http://${text}` : text;
	} catch {
		return text;
	}
}

/** An http(s) URL without credentials in it (they belong in a token, not in logs and `ps`). */
export function parseHttpUrl(value: string, what: string): URL {
	const text = withDefaultScheme(value);
	if (!HAS_SCHEME.test(text)) {
		throw new SourceError(`${what} "${value}" needs http:// or https:// in front (only a loopback host, such as localhost:8080, may leave it out)`);
	}

	let url: URL;
	try {
		url = new URL(text);
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

/** A ws(s) URL source, held to the same rule as an http one: no credentials in it. */
function parseWsUrl(value: string): URL {
	let url: URL;
	try {
		url = new URL(value);
	} catch {
		throw new SourceError(`source "${value}" is not a URL`);
	}

	if (url.username || url.password) {
		throw new SourceError('source must not carry a user or password: pass --token or run "dbtail login"');
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
	if (/^wss?:\/\//i.test(text)) {
		return {url: parseWsUrl(text)};
	}

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
