/** Writing Server-Sent Events frames (the server's side; clients parse with eventsource). */

/** One event. `data` is JSON-encoded, so it never contains a raw newline and fits one `data:` line. */
export function sseEvent(data: unknown, id?: string, event?: string): string {
	let frame = '';
	if (event) {
		frame += `event: ${event}\n`;
	}

	if (id !== undefined) {
		frame += `id: ${id}\n`;
	}

	return `${frame}data: ${JSON.stringify(data)}\n\n`;
}

/** A comment line: heartbeats. Ignored by every SSE parser but keeps the connection visibly alive. */
export function sseComment(text: string): string {
	return `: ${text.replaceAll(/[\r\n]/g, ' ')}\n\n`;
}

export function sseRetry(ms: number): string {
	return `retry: ${Math.round(ms)}\n\n`;
}

/**
 * No `Connection` header: node's HTTP layer says keep-alive to HTTP/1.1 clients (the stream is chunked) and
 * close to HTTP/1.0 ones, which cannot frame a body of no length on a kept connection. HTTP/2 forbids it.
 */
export const SSE_HEADERS = {
	'Content-Type': 'text/event-stream; charset=utf-8',
	'Cache-Control': 'no-cache, no-transform',
	'X-Accel-Buffering': 'no',
} as const;
