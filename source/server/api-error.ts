import type {ErrorCode} from '../protocol/events.js';
import {IdempotencyKeyReused, RunFinished, RunNotFound, StoreFull, StoreUnreachable} from './store/errors.js';

/** A request the server refuses: becomes `{error: {code, message}}` with `status` (docs/protocol.md, Errors). */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: ErrorCode,
		message: string,
		readonly headers: Record<string, string> = {},
	) {
		super(message);
		this.name = 'ApiError';
	}
}

export const badRequest = (message: string) => new ApiError(400, 'bad-request', message);
export const notFound = (message: string) => new ApiError(404, 'not-found', message);

/** What a client is told of a store's refusal; undefined for anything that is not the client's doing. */
export function fromStoreError(error: unknown): ApiError | undefined {
	if (error instanceof RunNotFound) {
		return notFound(error.message);
	}

	if (error instanceof RunFinished) {
		return new ApiError(409, 'bad-request', error.message);
	}

	// 507 Insufficient Storage: the producer may send the same batch again once the operator made room.
	if (error instanceof StoreFull) {
		return new ApiError(507, 'internal', error.message, {'retry-after': '10'});
	}

	// 503: the database is away (a restart, a network cut); the instance retries it and so may the client.
	if (error instanceof StoreUnreachable) {
		return new ApiError(503, 'internal', error.message, {'retry-after': '2'});
	}

	// 422, as the Idempotency-Key draft says: the key names another request; a retry must send the same one.
	if (error instanceof IdempotencyKeyReused) {
		return new ApiError(422, 'bad-request', error.message);
	}

	return undefined;
}
