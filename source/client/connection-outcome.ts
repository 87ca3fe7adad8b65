import {describeError, HttpError, isLocalFault} from './sse-connection.js';
import type {SourceWait} from './source-wait.js';
import type {TokenSource} from './token-source.js';

/** How one connection ended, and what to do next (`wait`: the source does not exist yet; ask again slowly). */
export type Outcome = {error: string; next: 'backoff' | 'now' | 'wait' | 'fatal' | 'end'; retryAfterMs?: number};

/**
 * What a failed attempt means, `error` being what the reader threw: a request node refuses to send (a bad
 * header, a bad URL) would be refused the same way forever; another network error is retried; a 404 for
 * a source that does not exist yet waits for it (source-wait.ts); other answers are outcomeOfHttpError's.
 */
export async function outcomeOfFailure(
	error: unknown,
	context: {tokens: TokenSource; sourceWait: SourceWait; alreadyRefreshed: boolean; onRefreshed: () => void},
): Promise<Outcome> {
	if (!(error instanceof HttpError)) {
		return {error: describeError(error), next: isLocalFault(error) ? 'fatal' : 'backoff'};
	}

	if (await context.sourceWait.waits(error)) {
		return {error: error.message, next: 'wait'};
	}

	return outcomeOfHttpError(error, context.tokens, context.alreadyRefreshed, context.onRefreshed);
}

/**
 * What an HTTP answer means (docs/protocol.md, What the dbtail client does): 429, 408 and 5xx are retried after a backoff
 * (429 no sooner than Retry-After); 401 refreshes the token once, if a command can, and retries at once;
 * 204 is the server's "stop, nothing more" (the spec's word): the stream ends, not as an error; anything
 * else (400, 403, 404, a 200 that is not an event stream) ends the stream with the error.
 */
export async function outcomeOfHttpError(
	error: HttpError,
	tokens: TokenSource,
	alreadyRefreshed: boolean,
	onRefreshed: () => void,
): Promise<Outcome> {
	const {status, message} = error;
	if (status === 429 || status === 408 || status >= 500) {
		return {error: message, next: 'backoff', retryAfterMs: error.retryAfterMs};
	}

	if (status === 204) {
		return {error: 'the server has nothing more to send for this stream (HTTP 204)', next: 'end'};
	}

	if (status !== 401) {
		return {error: message, next: 'fatal'};
	}

	if (!tokens.canRefresh) {
		const hint = tokens.token ? 'check --token, DBTAIL_TOKEN or the profile ("dbtail login")' : 'pass --token, set DBTAIL_TOKEN or run "dbtail login"';
		return {error: `${message} (${hint})`, next: 'fatal'};
	}

	if (alreadyRefreshed) {
		return {error: `${message} (still refused after refreshing the token)`, next: 'fatal'};
	}

	try {
		await tokens.refresh();
	} catch (refreshError) {
		return {error: `${message}; ${describeError(refreshError)}`, next: 'fatal'};
	}

	onRefreshed();
	return {error: message, next: 'now'};
}
