/*
 * A server's answer read with a cap on its size after decoding. fetch() undoes gzip, deflate and br
 * whatever was asked for, so a hostile server's 13 MB of gzip became 3 GB in the viewer's picker and in
 * `dbtail follow`'s gap fill, which died of it. Each answer the client reads whole (history pages, the
 * catalog, the token check) goes through here; the SSE path caps each event itself (sse-connection.ts).
 */

/** A history page: the reference server answers within 4 MiB, or one record past it, and a record is at most ~8 MiB as JSON. */
export const MAX_HISTORY_ANSWER_BYTES = 32 * 1024 * 1024;
/** The catalog: 20,000 automations with a task each are 4 MB. */
export const MAX_CATALOG_ANSWER_BYTES = 64 * 1024 * 1024;
/** An error body, or an answer read only for its one-line reason. */
export const MAX_ERROR_ANSWER_BYTES = 64 * 1024;

/** The answer was larger than its cap; `message` is one line, fit for a status line. */
export class AnswerTooLarge extends Error {
	constructor(origin: string, what: string, maxBytes: number) {
		super(`${origin} sent ${what} over ${formatBytes(maxBytes)} (after decompression): not read`);
		this.name = 'AnswerTooLarge';
	}
}

function formatBytes(bytes: number): string {
	return bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MiB` : `${bytes / 1024} KiB`;
}

/** The body as text, read chunk by chunk and given up (the connection cancelled) past `maxBytes` decoded bytes. */
export async function readCappedText(response: Response, maxBytes: number, what: string): Promise<string> {
	if (!response.body) {return '';}
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		const {done, value} = await reader.read();
		if (done) {break;}
		size += value.byteLength;
		if (size > maxBytes) {
			await reader.cancel().catch(() => {});
			throw new AnswerTooLarge(new URL(response.url).origin, what, maxBytes);
		}

		chunks.push(value);
	}

	return Buffer.concat(chunks).toString('utf8');
}

/** The body as JSON, capped as readCappedText; a body that is not JSON rejects with a SyntaxError. */
export async function readCappedJson(response: Response, maxBytes: number, what: string): Promise<unknown> {
	const text = await readCappedText(response, maxBytes, what);
	try {
		return JSON.parse(text) as unknown;
	} catch {
		// JSON.parse's message quotes the body raw: a proxy's page, or a hostile server's escape sequences.
		throw new AnswerNotJson(originOf(response), what);
	}
}

/** An answer that should be JSON and is not (a proxy's HTML page, a captive portal): one line, quoting none of it. */
export class AnswerNotJson extends Error {
	constructor(origin: string, what: string) {
		super(`${origin} sent ${what} that is not JSON: is it a dbtail server?`);
		this.name = 'AnswerNotJson';
	}
}

function originOf(response: Response): string {
	try {
		return new URL(response.url).origin;
	} catch {
		return 'the server';
	}
}
