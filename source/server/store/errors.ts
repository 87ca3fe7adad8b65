/*
 * What a store refuses, in the store's own terms: the HTTP layer (api-error.ts) decides what a client is
 * told, and `dbtail serve` what a user is told, so neither has to know which database said it.
 */
export class StoreError extends Error {}

export class RunNotFound extends StoreError {
	constructor(readonly runId: string) {
		super(`no run "${runId}"`);
	}
}

/** Logging to, or finishing, a run that has already finished. */
export class RunFinished extends StoreError {}

/** The file is held by another process: two servers on one file would each miss the other's live lines. */
export class StoreInUse extends StoreError {}

/** The disk under the store is full: the write was rolled back whole. */
export class StoreFull extends StoreError {}

/** The store cannot be opened at all: not a database, no such directory, no permission. */
export class StoreUnavailable extends StoreError {}

/** The database cannot be reached right now (PostgreSQL): the request may be sent again shortly. */
export class StoreUnreachable extends StoreError {}

/** An Idempotency-Key already used for a request with another body: a retry must send the same request. */
export class IdempotencyKeyReused extends StoreError {}
