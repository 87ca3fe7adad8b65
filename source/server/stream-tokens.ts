import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';

/*
 * Short-lived, read-only tokens for browsers. EventSource sends no headers, so a page must put its token
 * in the stream URL, and URLs land in proxy logs, access logs and browser history: a long-lived token
 * (which may also write) must never go there. A stream token only reads and lasts minutes, so one that
 * leaks is worth little, and soon nothing.
 *
 * Nothing is kept per token. It carries its expiry and which long-lived token minted it (as a key id that
 * says nothing about that token, derived from the key, so every instance with the same key and the same
 * long-lived tokens finds the same one), signed with HMAC-SHA256. Minting therefore costs no memory,
 * however often a page asks. The key is made at start and held only in memory, so a restart revokes every
 * stream token, unless the store shares one (PostgreSQL: kept in the database, so that a token minted by
 * one instance opens streams on every other, before and after restarts).
 */

const PREFIX = 'dbst1';
export const STREAM_TOKEN_TTL_MS = 5 * 60_000;

export type StreamTokenCheck = {parentKey: string} | {refused: 'expired' | 'invalid'};

export class StreamTokens {
	/** Whether tokens outlive this process: the key came from the store. */
	readonly shared: boolean;
	readonly #key: Buffer;
	/** Key id → the key of a long-lived read token that may mint (trust()); as many as there are such tokens. */
	readonly #parents = new Map<string, string>();
	readonly #ttlMs: number;

	constructor(ttlMs = STREAM_TOKEN_TTL_MS, sharedKey?: Buffer) {
		this.#ttlMs = ttlMs;
		this.#key = sharedKey ?? randomBytes(32);
		this.shared = sharedKey !== undefined;
	}

	/** The keys of the long-lived tokens whose stream tokens are accepted: every instance is given the same. */
	trust(parentKeys: Iterable<string>): void {
		for (const parentKey of parentKeys) {this.#parents.set(this.#kid(parentKey), parentKey);}
	}

	/** Whether a token is of this kind (long-lived tokens are looked up first, so one that looks alike still works). */
	static looksLike(token: string): boolean {
		return token.startsWith(`${PREFIX}.`);
	}

	/** A new token for `parentKey`, the key of the long-lived read token that asked. */
	issue(parentKey: string): {token: string; expiresAt: string} {
		const kid = this.#kid(parentKey);
		this.#parents.set(kid, parentKey);
		const expires = Date.now() + this.#ttlMs;
		const body = `${PREFIX}.${expires}.${kid}`;
		return {token: `${body}.${this.#sign(body)}`, expiresAt: new Date(expires).toISOString()};
	}

	verify(token: string): StreamTokenCheck {
		const parts = token.split('.');
		if (parts.length !== 4 || parts[0] !== PREFIX) {return {refused: 'invalid'};}
		const expected = Buffer.from(this.#sign(parts.slice(0, 3).join('.')));
		const given = Buffer.from(parts[3]!);
		if (given.length !== expected.length || !timingSafeEqual(given, expected)) {return {refused: 'invalid'};}
		const parentKey = this.#parents.get(parts[2]!);
		if (parentKey === undefined) {return {refused: 'invalid'};}
		// Checked when a stream opens, never after: an open stream outlives its token.
		if (Number(parts[1]) <= Date.now()) {return {refused: 'expired'};}
		return {parentKey};
	}

	#kid(parentKey: string): string {
		return this.#sign(`kid:${parentKey}`).slice(0, 16);
	}

	#sign(text: string): string {
		return createHmac('sha256', this.#key).update(text).digest('base64url');
	}
}
