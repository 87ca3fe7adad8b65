import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {isLoopbackHost} from '../protocol/loopback.js';
import {ApiError, badRequest} from './api-error.js';

/** What a token may do: read streams and history, or write (ingest, create and finish runs). */
export type Permission = 'read' | 'write';
export type TokenGrant = {token: string; permissions: Permission[]};

const hash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Bearer tokens with scopes. Tokens are kept only as hashes and never logged. A token in the URL
 * (`?token=`) is refused unless the server allows it: URLs end up in proxy logs and shell history.
 */
export class Auth {
	readonly #grants = new Map<string, Set<Permission>>();

	readonly #allowQueryToken: boolean;

	constructor(
		tokens: TokenGrant[] = [],
		allowQueryToken = false,
	) {
		this.#allowQueryToken = allowQueryToken;
		for (const grant of tokens) {
			const permissions = this.#grants.get(hash(grant.token)) ?? new Set();
			for (const permission of grant.permissions) {permissions.add(permission);}
			this.#grants.set(hash(grant.token), permissions);
		}
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

	/** Checks a request for `permission`; returns a key for per-token limits (undefined when open). */
	check(req: IncomingMessage, url: URL, permission: Permission): string | undefined {
		const queryToken = url.searchParams.get('token');
		if (queryToken !== null && !this.#allowQueryToken) {
			throw badRequest('the token= query parameter is refused (tokens in URLs leak into logs): send Authorization: Bearer <token>');
		}

		if (this.open) {return undefined;}
		const header = req.headers.authorization;
		const bearer = header && /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
		const token = bearer || (this.#allowQueryToken ? queryToken : null);
		const challenge = {'www-authenticate': 'Bearer realm="dbtail"'};
		if (!token) {
			throw new ApiError(401, 'unauthorized', 'a token is required: send Authorization: Bearer <token>', challenge);
		}

		const key = hash(token);
		const permissions = this.#grants.get(key);
		if (!permissions) {
			throw new ApiError(401, 'unauthorized', 'the token is not valid', {'www-authenticate': 'Bearer realm="dbtail", error="invalid_token"'});
		}

		// Users and the tokens file call a permission a scope, as OAuth does.
		if (!permissions.has(permission)) {
			throw new ApiError(403, 'forbidden', `the token lacks the "${permission}" scope`);
		}

		return key;
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
