import {createHash} from 'node:crypto';
import type {IncomingMessage} from 'node:http';
import {badRequest} from '../api-error.js';
import type {IdempotencyKey} from '../store/types.js';

/*
 * The `Idempotency-Key` request header (IETF httpapi draft, as Stripe and others use it) on the POSTs that
 * write. Its value may be a bare token or a structured-field string in double quotes, as the draft writes
 * it: `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`.
 */

const KEY = /^[\x20-\x7e]{1,255}$/;

/** The key a request carries, checked (400 when it is malformed); undefined when it carries none. */
export function idempotencyKeyOf(req: IncomingMessage): string | undefined {
	const header = req.headers['idempotency-key'];
	if (header === undefined) {return undefined;}
	const raw = (Array.isArray(header) ? header.join(', ') : header).trim();
	const key = raw.length >= 2 && raw.startsWith('"') && raw.endsWith('"') ? raw.slice(1, -1) : raw;
	if (!KEY.test(key) || key.trim() === '') {
		throw badRequest('Idempotency-Key must be 1 to 255 printable ASCII characters (a UUID will do), once per request');
	}

	return key;
}

/** What the store keeps for a key: the write it names, and a fingerprint of the request that made it. */
export function idempotencyFor(key: string | undefined, scope: string, req: IncomingMessage, body: string): IdempotencyKey | undefined {
	if (key === undefined) {return undefined;}
	const fingerprint = createHash('sha256')
		.update(`${req.method} ${scope}\n${(req.headers['content-type'] ?? '').toLowerCase().replaceAll(' ', '')}\n`)
		.update(body)
		.digest('base64url');
	return {scope, key, fingerprint};
}

/** Said on an answer that an earlier request with the same key produced (nothing new was stored). */
export const REPLAYED_HEADER = {'idempotent-replayed': 'true'};
