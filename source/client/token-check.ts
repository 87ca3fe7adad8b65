import {sanitizeInline} from '../protocol/sanitize.js';
import {apiUrl} from '../protocol/streams.js';
import {formatDuration} from '../protocol/time.js';
import {AnswerTooLarge, MAX_ERROR_ANSWER_BYTES, readCappedJson} from './capped-body.js';

/** What the server made of a token; `reachable` false when it could not be asked at all. */
export type TokenCheck = {ok: true} | {ok: false; reachable: boolean; message: string};

const CHECK_TIMEOUT_MS = 5000;

/**
 * Asks the server whether it takes `token` for reading, as `gh auth login` does: one small read request,
 * `GET /api/stream/status` (read scope), with the token in the header, never in the URL. A redirect is
 * reported, not followed, so the token goes to the server named and nowhere else.
 */
export async function checkToken(server: string, token: string, timeoutMs = CHECK_TIMEOUT_MS): Promise<TokenCheck> {
	const url = apiUrl(server, '/api/stream/status');
	let response: Response;
	try {
		response = await fetch(url, {
			headers: {accept: 'application/json', authorization: `Bearer ${token}`},
			redirect: 'manual',
			signal: AbortSignal.timeout(timeoutMs),
		});
	} catch (error) {
		const why = (error as Error).name === 'TimeoutError' ? `no answer within ${formatDuration(timeoutMs)}` : networkReason(error);
		return {ok: false, reachable: false, message: `cannot reach ${url.origin} to check the token (${why})`};
	}

	const {status} = response;
	if (status === 200) {
		// Only the status counts: the body is not read (a hostile server's could decode to gigabytes).
		await response.body?.cancel().catch(() => {});
		return {ok: true};
	}

	const said = await serverSaid(response);
	if (status === 401) {
		return {ok: false, reachable: true, message: `${url.origin} refused the token (HTTP 401${said})`};
	}

	if (status === 403) {
		return {ok: false, reachable: true, message: `${url.origin} knows the token, but it may not read logs (HTTP 403${said})`};
	}

	const location = response.headers.get('location');
	if (status >= 300 && status < 400 && location) {
		const next = new URL(location, url);
		const base = sanitizeInline(next.href.replace(/\/api\/stream\/status(?:\?.*)?$/, ''));
		return {ok: false, reachable: true, message: `${url.origin} redirects to ${base}: give that as --server`};
	}

	return {ok: false, reachable: true, message: `${url.origin} answered HTTP ${status}${said} to ${url.pathname}: is it a dbtail server?`};
}

/** `: <the server's error.message>`, or that its answer was too large to read, or nothing. */
async function serverSaid(response: Response): Promise<string> {
	try {
		const body = (await readCappedJson(response, MAX_ERROR_ANSWER_BYTES, 'an answer')) as {error?: {message?: unknown}};
		const message = body?.error?.message;
		return typeof message === 'string' ? `: ${sanitizeInline(message).slice(0, 200)}` : '';
	} catch (error) {
		return error instanceof AnswerTooLarge ? `; ${error.message}` : '';
	}
}

/** fetch's `fetch failed` says nothing: its cause has the code (`ECONNREFUSED`, `ENOTFOUND`). */
function networkReason(error: unknown): string {
	const cause = (error as {cause?: {code?: unknown; message?: unknown}}).cause;
	const text = typeof cause?.code === 'string' ? cause.code : typeof cause?.message === 'string' ? cause.message : (error as Error).message;
	return sanitizeInline(String(text));
}
