import http from 'node:http';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';
import {SseParser, type ParsedEvent} from './sse-parser.js';

/*
 * One HTTP connection to an SSE endpoint: GET, check the answer, feed the body to the parser
 * (sse-parser.ts: what a hostile server can do to framing, as the spec reads it). It never retries:
 * LogStream decides what happens after every end. Every chunk is reported, so heartbeat comments count as
 * life for the watchdog.
 */

/** The longest event accepted; a larger one means a broken or hostile server, not a log line. */
const MAX_EVENT_CHARS = 16 * 1024 * 1024;

/** A non-200 answer, or a 200 that is not an event stream. `code` is a dbtail error body's `error.code`. */
export class HttpError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly retryAfterMs?: number,
		readonly code?: string,
	) {
		super(message);
		this.name = 'HttpError';
	}
}

/**
 * How long one attempt may take before it counts as failed: `connectMs` for the TCP connection,
 * `answerMs` from there to the answer's headers (undefined: no limit here; the watchdog's deadline holds).
 */
export type Timeouts = {connectMs?: number; answerMs?: number};

/** An attempt that took too long; retried with backoff, as a refused connection is. */
export class NoAnswerError extends Error {
	override name = 'NoAnswerError';
}

export type SseHandlers = {
	onOpen(): void;
	onBytes(): void;
	/** The chunk announced by onBytes has been read: its events were all handed over. */
	onChunkRead?(): void;
	onMessage(message: ParsedEvent): void;
	/** A block with an `id:` and no data: the resume point moves ('' clears it). */
	onIdOnly(id: string): void;
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

/** The media type of a Content-Type, lower case, without parameters: `Text/Event-Stream; charset=x` → `text/event-stream`. */
export function mediaType(contentType: string | undefined): string {
	return (contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * One clean line of an error body: a proxy's HTML page becomes its title or its first text, not markup.
 * `reason` is the status line's phrase; a body that only repeats it says nothing more.
 */
export function bodyReason(body: string, contentType: string | undefined, reason: string): string {
	let text = body.trim();
	if (mediaType(contentType).includes('html') || /^<(!doctype|html|head|body|title|h1|center)\b/i.test(text)) {
		const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1];
		text = (title ?? text.replaceAll(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replaceAll(/<[^>]*>/g, ' '))
			.replaceAll(/&nbsp;/g, ' ')
			.replaceAll(/&amp;/g, '&')
			.replaceAll(/&lt;/g, '<')
			.replaceAll(/&gt;/g, '>');
	}

	const line = sanitizeInline(text.replaceAll(/\s+/g, ' ').trim()).slice(0, 200);
	const phrase = reason.trim().toLowerCase();
	// `502 Bad Gateway` as the whole page, or its title: the status already says it.
	return phrase && line.toLowerCase().replace(/^\d{3}\s*/, '') === phrase ? '' : line;
}

/** What the server said in an error body: `{"error": {"message", "code"}}` or one clean line of its text. */
async function serverMessage(response: http.IncomingMessage): Promise<{message: string; code?: string}> {
	let body = '';
	try {
		response.setEncoding('utf8');
		for await (const chunk of response) {
			body += String(chunk);
			if (body.length > 4096) {
				break;
			}
		}
	} catch {
		// A body that cannot be read gives no reason: the status alone is said.
	}

	response.destroy();
	return bodyMessage(body, response.headers['content-type'], response.statusMessage ?? '');
}

/** What an error body says, once read. */
function bodyMessage(body: string, contentType: string | undefined, statusMessage: string): {message: string; code?: string} {
	try {
		const json = JSON.parse(body) as {error?: {message?: unknown; code?: unknown} | string; message?: unknown};
		const message = typeof json.error === 'string' ? json.error : (json.error?.message ?? json.message);
		const code = typeof json.error === 'object' && typeof json.error.code === 'string' ? json.error.code : undefined;
		if (typeof message === 'string') {
			return {message: sanitizeInline(message).slice(0, 200), code};
		}
	} catch {
		// Not JSON: plain text or a proxy's page.
	}

	return {message: bodyReason(body, contentType, statusMessage)};
}

/**
 * An answer that is not the stream asked for, as one clear line: `HTTP 401 Unauthorized: bad token`. The SSE
 * reader and the WebSocket upgrade (ws-connection.ts) both say a refusal this way.
 */
export async function answerError(response: http.IncomingMessage): Promise<HttpError> {
	const said = await serverMessage(response);
	return refusal(response.statusCode ?? 0, response.statusMessage ?? '', response.headers['retry-after'], said);
}

/** The same line for an answer read with fetch (its body read, capped, by the caller). */
export function fetchedAnswerError(response: Response, body: string): HttpError {
	const said = bodyMessage(body, response.headers.get('content-type') ?? undefined, response.statusText);
	return refusal(response.status, response.statusText, response.headers.get('retry-after') ?? undefined, said);
}

function refusal(status: number, statusMessage: string, retryAfter: string | undefined, {message, code}: {message: string; code?: string}): HttpError {
	// The reason phrase is the server's text too, and node passes ESC and BEL in it through.
	const reason = sanitizeInline(statusMessage).slice(0, 200);
	const text = `HTTP ${status}${reason ? ` ${reason}` : ''}`;
	return new HttpError(status, message ? `${text}: ${message}` : text, parseRetryAfter(retryAfter ?? null), code);
}

/**
 * Fails the request with a NoAnswerError when the TCP connection or, after it, the answer takes too long.
 * Without this a listener that accepts and never answers holds an attempt until the watchdog (37 s), and
 * an address that drops SYNs until the system gives up (minutes), with no reason shown meanwhile.
 */
function limitWait(request: http.ClientRequest, url: URL, timeouts: Timeouts): () => void {
	let timer: NodeJS.Timeout | undefined;
	const arm = (ms: number | undefined, what: string) => {
		clearTimeout(timer);
		timer = ms === undefined ? undefined : setTimeout(() => request.destroy(new NoAnswerError(`${what} ${url.host} within ${formatDuration(ms)}`)), ms);
	};

	arm(timeouts.connectMs, 'no connection to');
	request.once('socket', (socket) => {
		const connected = () => {
			arm(timeouts.answerMs, 'no answer from');
		};

		if (socket.connecting) {
			socket.once('connect', connected);
		} else {
			connected();
		}
	});
	return () => {
		clearTimeout(timer);
	};
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** GET with redirects followed (up to 5); the token never follows a redirect to another origin. */
async function get(url: URL, headers: Record<string, string>, signal: AbortSignal, timeouts: Timeouts, hops = 0): Promise<http.IncomingMessage> {
	// node:https (and TLS) loads only for https URLs: most streams here are plain http on a build box.
	const client = url.protocol === 'https:' ? await import('node:https') : http;
	const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
		// No pooled agent: a stream owns its socket, so an abort after the end cannot hit a pooled socket
		// that nobody listens to.
		const request = client.get(url, {headers, signal, agent: false}, (response) => {
			answered();
			// Aborting later (watchdog, close) errors the response too; the reader's own listener is gone by then.
			response.on('error', () => {});
			resolve(response);
		});
		const answered = limitWait(request, url, timeouts);
		// Stays on: an abort after the answer arrived errors the request again, and nobody must crash for it.
		request.on('error', (error) => {
			answered();
			reject(error);
		});
	});
	const location = response.headers.location;
	if (!REDIRECTS.has(response.statusCode ?? 0) || !location || hops >= 5) {
		return response;
	}

	response.resume();
	const next = new URL(location, url);
	const {Authorization: _, ...anonymous} = headers;
	return get(next, next.origin === url.origin ? headers : anonymous, signal, timeouts, hops + 1);
}

// node's own refusals to build a request: nothing the network or the server did, so a retry cannot help.
const LOCAL_FAULTS = new Set([
	'ERR_INVALID_CHAR',
	'ERR_INVALID_HTTP_TOKEN',
	'ERR_INVALID_ARG_TYPE',
	'ERR_INVALID_ARG_VALUE',
	'ERR_INVALID_URL',
	'ERR_INVALID_PROTOCOL',
	'ERR_UNESCAPED_CHARACTERS',
]);

export function isLocalFault(error: unknown): boolean {
	return LOCAL_FAULTS.has((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}

/** A network error as one short line: `connect ECONNREFUSED 127.0.0.1:1234`. */
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
	timeouts: Timeouts = {},
): Promise<void> {
	// node:http rather than fetch: it reads this stream about twice as fast, and pausing a response is
	// real TCP backpressure.
	const response = await get(url, {Accept: 'text/event-stream', 'Cache-Control': 'no-cache', ...headers}, signal, timeouts);
	handlers.onBytes();
	if (response.statusCode !== 200) {
		throw await answerError(response);
	}

	// Media types are case-insensitive and may carry parameters; `text/event-streamx` is another type.
	const type = response.headers['content-type'] ?? '';
	if (mediaType(type) !== 'text/event-stream') {
		response.destroy();
		throw new HttpError(200, `not an event stream (Content-Type: ${sanitizeInline(type) || 'none'})`);
	}

	let overflow = false;
	const parser = new SseParser(
		{
			onEvent: handlers.onMessage,
			onIdOnly: handlers.onIdOnly,
			onRetry: handlers.onRetry,
			onOverflow() {
				overflow = true;
			},
		},
		MAX_EVENT_CHARS,
	);
	handlers.onOpen();
	await new Promise<void>((resolve, reject) => {
		const fail = (error: Error) => {
			response.destroy();
			reject(error);
		};

		// Bytes, not text: the parser decodes each line on its own (sse-parser.ts, feedBytes).
		response.on('data', (chunk: Buffer) => {
			handlers.onBytes();
			parser.feedBytes(chunk);
			handlers.onChunkRead?.();

			if (overflow) {
				fail(new HttpError(200, `an event was larger than ${MAX_EVENT_CHARS / 1024 / 1024} MB`));
				return;
			}

			const ready = handlers.whenReady();
			if (ready) {
				response.pause();
				void ready.then(() => response.resume());
			}
		});
		// An unfinished event at the end is discarded, as the spec says.
		response.once('end', resolve);
		response.once('error', reject);
		response.once('close', () => {
			if (!response.complete) {
				reject(new Error('the connection closed mid-stream'));
			}
		});
	});
}
