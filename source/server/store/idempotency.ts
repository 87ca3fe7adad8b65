import {IdempotencyKeyReused} from './errors.js';
import type {IdempotencyKey} from './types.js';

/*
 * Idempotency-Key, as both stores keep it: the key and what the first request held (a fingerprint) and
 * answered, stored in the same transaction as the write itself. So a producer whose instance died
 * mid-request, and that cannot know whether its batch was stored, sends it again with the same key and it
 * is stored once. Checked under the store's write lock: two requests with one key never both write.
 */

/** How long a key is remembered (reference): a day covers any producer's retries. */
export const IDEMPOTENCY_KEY_TTL_MS = 24 * 60 * 60 * 1000;

/** The stored answer of an earlier request with this key, or a refusal when that request held something else. */
export function replayAnswer<T>(idempotency: IdempotencyKey, stored: {fingerprint: string; answer: string}): T {
	if (stored.fingerprint !== idempotency.fingerprint) {
		throw new IdempotencyKeyReused(
			`Idempotency-Key ${JSON.stringify(idempotency.key)} was already used for a different request: a retry must send the same body; use a new key for a new request`,
		);
	}

	return JSON.parse(stored.answer) as T;
}
