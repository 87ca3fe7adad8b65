import type {ErrorCode} from '../protocol/events.js';

/** A request the server refuses: becomes `{error: {code, message}}` with `status` (PROTOCOL.md, HTTP errors). */
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
