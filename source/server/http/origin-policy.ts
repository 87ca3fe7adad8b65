import type {IncomingMessage, ServerResponse} from 'node:http';
import {ApiError} from '../api-error.js';

/*
 * What the server lets web pages do. A page the user has open can send requests to 127.0.0.1 from the
 * user's browser; the browser says so in `Origin` (sent on every POST and every CORS request) and in
 * `Sec-Fetch-Site` (sent on everything, also where `Origin` is not). Producers, dbtail's own client, curl
 * and scripts send neither, so:
 *
 * - a request with an `Origin` that `--cors-origin` did not name is refused, reads too;
 * - a request a page sent from another site or origin (`Sec-Fetch-Site: cross-site | same-site`) without
 *   an allowed `Origin` is refused: a `<script src>` or a link to the server;
 * - an allowed origin may read (CORS headers on the answer, and its preflights answered), never write: CORS
 *   is for reads only, so no page can forge a run or a line, whatever `--cors-origin` says.
 */

/** The request headers a page may add to a read; EventSource reconnects with Last-Event-ID. */
export const CORS_ALLOWED_HEADERS = 'Authorization, Last-Event-ID, Cache-Control, Accept';
/** How long a browser may reuse a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 600;

/** An origin as browsers write it (`http://localhost:3000`), or an Error saying what is wrong with `text`. */
export function parseCorsOrigin(text: string): string {
	if (text.trim() === '*') {
		throw new Error('"*" is refused: list each origin whose pages may read (repeat --cors-origin)');
	}

	// Without "://", `localhost:3000` would parse as the scheme "localhost:".
	const url = text.includes('://') && URL.canParse(text) ? new URL(text) : undefined;
	if (!url) {
		throw new Error(`"${text}" is not an origin: give scheme://host[:port], e.g. http://localhost:3000`);
	}

	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		throw new Error(`"${text}" is not an origin: it must be http or https, e.g. http://localhost:3000`);
	}

	if (url.username !== '' || url.password !== '') {
		throw new Error(`"${text}" is not an origin: no user or password, e.g. http://localhost:3000`);
	}

	if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || /[?#]/.test(text)) {
		throw new Error(`"${text}" is not an origin: no path, query or fragment, e.g. http://localhost:3000`);
	}

	return url.origin;
}

const forbidden = (message: string) => new ApiError(403, 'forbidden', message);

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value.join(', ') : value;
}

export class OriginPolicy {
	readonly #allowed: Set<string>;

	/** `origins` as parseCorsOrigin gives them. */
	constructor(origins: readonly string[] = []) {
		this.#allowed = new Set(origins.map((origin) => parseCorsOrigin(origin)));
	}

	/**
	 * Refuses a request a web page may not make (403); for an allowed page's read, adds the CORS headers to
	 * `res`, so they go with whatever the handler answers, errors included.
	 */
	check(req: IncomingMessage, res: ServerResponse, write: boolean): void {
		this.#vary(res);
		const origin = header(req, 'origin');
		if (origin === undefined) {
			const site = header(req, 'sec-fetch-site');
			if (site === 'cross-site' || site === 'same-site') {
				throw forbidden(`a ${site} request from a web page (Sec-Fetch-Site) with no allowed Origin is refused: ${this.#whoMayRead()}`);
			}

			return;
		}

		this.#requireAllowed(origin);
		if (write) {throw this.#writeRefused(origin);}
		res.setHeader('access-control-allow-origin', origin);
	}

	/**
	 * `OPTIONS`: a CORS preflight from an allowed origin, for a method pages may use on this path (`pageMethods`),
	 * gets 204 and the CORS headers; one for a write, or from another origin, 403. Without `Origin` it is no
	 * preflight: 204 with `Allow`.
	 */
	preflight(req: IncomingMessage, res: ServerResponse, pageMethods: readonly string[], methods: readonly string[]): void {
		this.#vary(res);
		const origin = header(req, 'origin');
		if (origin === undefined) {
			res.writeHead(204, {allow: [...methods, 'OPTIONS'].join(', ')});
			res.end();
			return;
		}

		this.#requireAllowed(origin);
		const method = header(req, 'access-control-request-method') ?? '';
		if (!pageMethods.includes(method)) {
			if (methods.includes(method)) {throw this.#writeRefused(origin);}
			throw new ApiError(405, 'bad-request', `${method || 'no method'} is not allowed on this path`, {allow: [...methods, 'OPTIONS'].join(', ')});
		}

		res.writeHead(204, {
			'access-control-allow-origin': origin,
			'access-control-allow-methods': pageMethods.join(', '),
			'access-control-allow-headers': CORS_ALLOWED_HEADERS,
			'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
		});
		res.end();
	}

	#vary(res: ServerResponse): void {
		// Answers differ by Origin only when some origin may read; a shared cache must then keep them apart.
		if (this.#allowed.size > 0) {res.setHeader('vary', 'Origin');}
	}

	#requireAllowed(origin: string): void {
		if (!this.#allowed.has(origin)) {
			throw forbidden(`Origin ${origin} is refused: ${this.#whoMayRead()}`);
		}
	}

	#writeRefused(origin: string): ApiError {
		return forbidden(`writes from web pages are refused (Origin ${origin}): --cors-origin lets pages read, never write; producers send no Origin`);
	}

	#whoMayRead(): string {
		return this.#allowed.size === 0
			? 'no web page may use this server (dbtail serve --cors-origin lets pages of an origin read)'
			: `only pages of ${[...this.#allowed].join(', ')} may read, and no page may write`;
	}
}
