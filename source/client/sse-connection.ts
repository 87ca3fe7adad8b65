import {createParser, type EventSourceMessage} from 'eventsource-parser';
import {sanitizeInline} from '../protocol/sanitize.js';

/*
 * One HTTP connection to an SSE endpoint: fetch, check the answer, feed the body to eventsource-parser.
 * It never retries: LogStream decides what happens after every end. eventsource-parser handles what a
 * hostile server can do to framing (splits anywhere, CR / LF / CRLF, comments, retry:); TextDecoder drops
 * a leading BOM. Every chunk is reported, so heartbeat comments count as life for the watchdog.
 */

/** The longest event accepted; a larger one means a broken or hostile server, not a log line. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** A non-200 answer, or a 200 that is not an event stream. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly retryAfterMs?: number,
	) {
		super(message);
		this.name = 'HttpError';
	}
}

export type SseHandlers = {
	onOpen(): void;
	onBytes(): void;
	onMessage(message: EventSourceMessage): void;
	onRetry(ms: number): void;
	/** Resolves when the reader may go on; lets a slow consumer hold the socket (TCP backpressure). */
	whenReady(): Promise<void> | undefined;
};

/** `Retry-After`: seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
	if (!value) {
		return undefined;
	}

	if (/^\d+$/.test(value.trim())) {
		return Number(value.trim()) * 1000;
	}

	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** What the server said in an error body: `{"error": {"message"}}` or the first line of its text. */
async function serverMessage(response: Response): Promise<string> {
	try {
		const body = (await response.text()).slice(0, 4096);
		try {
			const json = JSON.parse(body) as {error?: {message?: unknown} | string; message?: unknown};
			const message = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
			if (typeof message === 'string') {
				return sanitizeInline(message).slice(0, 200);
			}
		} catch {}

		return sanitizeInline(body.trim().split('\n')[0] ?? '').slice(0, 200);
	} catch {
		return '';
	}
}

/** A network error as one short line: `fetch failed: connect ECONNREFUSED 127.0.0.1:1234`. */
export function describeError(error: unknown): string {
	if (!(error instanceof Error)) {
		return String(error);
	}

	const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
	return sanitizeInline(`${error.message}${cause}`);
}

/** Resolves when the server ends the stream; rejects with HttpError or a network/abort error. */
export async function readSse(
	url: URL,
	headers: Record<string, string>,
	signal: AbortSignal,
	handlers: SseHandlers,
): Promise<void> {
	const response = await fetch(url, {
		headers: {Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...headers},
		signal,
		redirect: 'follow',
	});
	handlers.onBytes();
	if (response.status !== 200) {
		const message = await serverMessage(response);
		const text = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
		throw new HttpError(response.status, message ? `${text}: ${message}` : text, parseRetryAfter(response.headers.get('retry-after')));
	}

	const type = response.headers.get('content-type') ?? '';
	if (!type.startsWith('text/event-stream') || !response.body) {
		await response.body?.cancel();
		throw new HttpError(200, `not an event stream (Content-Type: ${sanitizeInline(type) || 'none'})`);
	}

	let overflow = false;
	const parser = createParser({
		onEvent: handlers.onMessage,
		onRetry: handlers.onRetry,
		onError(error) {
			if (error.type === 'max-buffer-size-exceeded') {
				overflow = true;
			}
		},
		maxBufferSize: MAX_EVENT_CHARS,
	});
	handlers.onOpen();
	const reader = response.body.getReader();
	const decoder = new TextDecoder();
	try {
		for (;;) {
			const ready = handlers.whenReady();
			if (ready) {
				await ready;
			}

			const {done, value} = await reader.read();
			if (done) {
				return;
			}

			handlers.onBytes();
			parser.feed(decoder.decode(value, {stream: true}));
			if (overflow) {
				throw new HttpError(200, `an event was larger than ${MAX_EVENT_CHARS / 1024 / 1024} MB`);
			}
		}
	} finally {
		reader.releaseLock();
	}
}
