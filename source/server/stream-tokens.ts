import {createHmac, randomBytes, timingSafeEqual} from 'node:crypto';

/*
 * Short-lived, read-only tokens for browsers. EventSource sends no headers, so a page must put its token
 * in the stream URL, and URLs land in proxy logs, access logs and browser history: a long-lived token
 * (which may also write) must never go there. A stream token only reads and lasts minutes, so one that
 * leaks is worth little, and soon nothing.
 *
 * Nothing is kept per token. It carries its expiry and which long-lived token minted it (as a key id that
 * says nothing about that token), signed with HMAC-SHA256 under a key made at start and held only in memory.
 * Minting therefore costs no memory, however often a page asks, and a restart revokes every stream token.
 */

const PREFIX = 'dbst1';
export const STREAM_TOKEN_TTL_MS = 5 * 60_000;

export type StreamTokenCheck = {parentKey: string} | {refused: 'expired' | 'invalid'};

export class StreamTokens {
	readonly #key = randomBytes(32);
	/** Key id → the minting token's key; as many entries as long-lived tokens that ever minted. */
	readonly #parents = new Map<string, string>();
	readonly #ttlMs: number;

	constructor(ttlMs = STREAM_TOKEN_TTL_MS) {
		this.#ttlMs = ttlMs;
	}

	/** Whether a token is of this kind (long-lived tokens are looked up first, so one that looks alike still works). */
	static looksLike(token: string): boolean {
		return token.startsWith(`${PREFIX}.`);
	}

	/** A new token for `parentKey`, the key of the long-lived read token that asked. */
	issue(parentKey: string): {token: string; expiresAt: string} {
		const kid = this.#sign(`kid:${parentKey}`).slice(0, 16);
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

	#sign(text: string): string {
		return createHmac('sha256', this.#key).update(text).digest('base64url');
	}
}
