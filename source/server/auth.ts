import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {isLoopbackHost} from '../protocol/loopback.js';
import {ApiError, badRequest} from './api-error.js';
import {StreamTokens} from './stream-tokens.js';

/** What a token may do: read streams and history, or write (ingest, create and finish runs). */
export type Permission = 'read' | 'write';
export type TokenGrant = {token: string; permissions: Permission[]};

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

const INVALID = {'www-authenticate': 'Bearer realm="dbtail", error="invalid_token"'};

/**
 * Bearer tokens with scopes. Tokens are kept only as hashes and never logged. A token in the URL
 * (`?token=`) is refused unless the server allows it: URLs end up in proxy logs and shell history. The one
 * exception is a short-lived read-only token (stream-tokens.ts) in the URL of a stream, for EventSource.
 */
export class Auth {
	readonly #grants = new Map<string, Set<Permission>>();

	readonly #allowQueryToken: boolean;
	readonly #streamTokens: StreamTokens;

	constructor(
		tokens: TokenGrant[] = [],
		allowQueryToken = false,
		streamTokens = new StreamTokens(),
	) {
		this.#allowQueryToken = allowQueryToken;
		this.#streamTokens = streamTokens;
		for (const grant of tokens) {
			const permissions = this.#grants.get(hash(grant.token)) ?? new Set();
			for (const permission of grant.permissions) {permissions.add(permission);}
			this.#grants.set(hash(grant.token), permissions);
		}

		streamTokens.trust([...this.#grants].filter(([, permissions]) => permissions.has('read')).map(([key]) => key));
	}

	get open(): boolean {
		return this.#grants.size === 0;
	}

	/**
	 * An open server answers only requests addressed to a loopback name: a web page that rebinds its own
	 * DNS name to 127.0.0.1 would otherwise read the logs through the user's browser.
	 */
	checkHost(req: IncomingMessage): void {
		if (!this.open) {return;}
		if (!isLoopbackHost((req.headers.host ?? '').replace(/:\d+$/, ''))) {
			throw new ApiError(403, 'forbidden', `Host "${req.headers.host ?? ''}" is refused: a server without tokens answers only loopback names`);
		}
	}

	/**
	 * Checks a request for `permission`; returns a key for per-token limits (undefined when open). A stream
	 * token counts as the long-lived token that minted it. `stream`: the request opens a stream, where a
	 * stream token may come in `?token=`.
	 */
	check(req: IncomingMessage, url: URL, permission: Permission, stream = false): string | undefined {
		const queryToken = url.searchParams.get('token');
		if (queryToken !== null && !this.#allowQueryToken && !(stream && this.#isStreamToken(queryToken))) {
			throw badRequest(
				this.open || !stream
					? 'the token= query parameter is refused (tokens in URLs leak into logs): send Authorization: Bearer <token>'
					: 'the token= query parameter is refused for long-lived tokens (URLs leak into logs): send Authorization: Bearer <token>, or put a short-lived token from POST /api/tokens in token= of a stream',
			);
		}

		if (this.open) {return undefined;}
		const token = this.#bearer(req) || queryToken;
		if (!token) {
			throw new ApiError(401, 'unauthorized', 'a token is required: send Authorization: Bearer <token>', {'www-authenticate': 'Bearer realm="dbtail"'});
		}

		const key = hash(token);
		const permissions = this.#grants.get(key);
		if (!permissions) {
			if (StreamTokens.looksLike(token)) {return this.#checkStreamToken(token, permission);}
			throw new ApiError(401, 'unauthorized', 'the token is not valid', INVALID);
		}

		// Users and the tokens file call a permission a scope, as OAuth does.
		if (!permissions.has(permission)) {
			throw new ApiError(403, 'forbidden', `the token lacks the "${permission}" scope`);
		}

		return key;
	}

	/** `POST /api/tokens`: a long-lived token with the read scope, in the header, buys a short-lived read-only one. */
	mintStreamToken(req: IncomingMessage, url: URL): {token: string; expiresAt: string} {
		if (this.open) {throw badRequest('this server has no tokens: open streams without token=');}
		if (url.searchParams.has('token')) {throw badRequest('send the read token as Authorization: Bearer <token>, not in the URL');}
		const token = this.#bearer(req);
		if (token && !this.#grants.has(hash(token)) && StreamTokens.looksLike(token)) {
			// Else a page could renew its token forever without ever showing the long-lived one again.
			throw new ApiError(403, 'forbidden', 'a short-lived token cannot mint another: send a long-lived read token');
		}

		return this.#streamTokens.issue(this.check(req, url, 'read')!);
	}

	#bearer(req: IncomingMessage): string | undefined {
		const header = req.headers.authorization;
		return (header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1]) || undefined;
	}

	#isStreamToken(token: string): boolean {
		return !this.open && !this.#grants.has(hash(token)) && StreamTokens.looksLike(token);
	}

	#checkStreamToken(token: string, permission: Permission): string {
		const checked = this.#streamTokens.verify(token);
		if ('refused' in checked) {
			throw new ApiError(
				401,
				'unauthorized',
				checked.refused === 'expired'
					? 'the short-lived token has expired: get a new one from POST /api/tokens and reopen the stream with since=<last id>'
					: this.#streamTokens.shared
						? 'the short-lived token is not valid: get a new one from POST /api/tokens'
						: 'the short-lived token is not valid (tokens end when the server restarts): get a new one from POST /api/tokens',
				INVALID,
			);
		}

		if (permission !== 'read') {throw new ApiError(403, 'forbidden', 'a short-lived token only reads');}
		return checked.parentKey;
	}
}

/**
 * A tokens file: one token a line, then its scopes (`read`, `write` or `read,write`); `#` comments.
 * Throws an Error naming the line for anything else.
 */
export function parseTokensFile(text: string): TokenGrant[] {
	const grants: TokenGrant[] = [];
	for (const [index, raw] of text.split('\n').entries()) {
		const line = raw.trim();
		if (line === '' || line.startsWith('#')) {continue;}
		const [token, scopeText, extra] = line.split(/\s+/);
		const scopes = (scopeText ?? '').split(',').filter(Boolean);
		if (!token || scopes.length === 0 || extra !== undefined || scopes.some((scope) => scope !== 'read' && scope !== 'write')) {
			throw new Error(`line ${index + 1}: expected "<token> read", "<token> write" or "<token> read,write"`);
		}

		grants.push({token, permissions: scopes as Permission[]});
	}

	if (grants.length === 0) {
		throw new Error('no tokens in it');
	}

	return grants;
}
