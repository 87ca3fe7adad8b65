/*
 * The event-stream format as the WHATWG HTML standard defines it (server-sent events, "Parsing an event
 * stream" and "Interpreting an event stream"), fed decoded text in chunks split anywhere.
 *
 * Why not eventsource-parser, which did this before: its 3.x line (the last for Node 20) drops a block that
 * has an `id:` but no `data:`, so a client cannot honour "an event with an id and no data sets the resume
 * point" nor tell an empty `id:` (reset) from none; 4.x reports both but needs Node 22. The algorithm is
 * short and the conformance tests (test/conformance/) hold it to the spec case by case.
 */

/** One dispatched event. `id` is this block's own `id:` field when it had one ('' for an empty one). */
export type ParsedEvent = {event?: string; id?: string; data: string};

export type SseParserHandlers = {
	onEvent(event: ParsedEvent): void;
	/** A block with an `id:` field and no data: per the spec it still sets the last event id ('' resets it). */
	onIdOnly(id: string): void;
	onRetry(ms: number): void;
	/** A line or an event buffer grew past the limit: the stream is broken or hostile. */
	onOverflow(): void;
};

export class SseParser {
	readonly #handlers: SseParserHandlers;
	readonly #maxChars: number;
	/** The unfinished line carried over from the previous chunk. */
	#line = '';
	/** A chunk ended on CR: an LF at the start of the next one belongs to the same line end. */
	#skipLf = false;
	#first = true;
	#data = '';
	#hasData = false;
	#event: string | undefined;
	#id: string | undefined;
	#broken = false;

	constructor(handlers: SseParserHandlers, maxChars = 16 * 1024 * 1024) {
		this.#handlers = handlers;
		this.#maxChars = maxChars;
	}

	feed(chunk: string): void {
		if (this.#broken || chunk === '') {
			return;
		}

		let text = chunk;
		if (this.#first) {
			this.#first = false;
			// One leading BOM is not part of the stream.
			text = text.startsWith('\uFEFF') ? text.slice(1) : text;
		}

		let start = 0;
		if (this.#skipLf) {
			this.#skipLf = false;
			if (text.startsWith('\n')) {
				start = 1;
			}
		}

		const hasCr = text.includes('\r', start);
		while (start < text.length) {
			const end = hasCr ? lineEnd(text, start) : text.indexOf('\n', start);
			if (end < 0) {
				this.#line += text.slice(start);
				if (this.#line.length > this.#maxChars) {
					this.#overflow();
				}

				return;
			}

			const line = this.#line === '' ? text.slice(start, end) : this.#line + text.slice(start, end);
			this.#line = '';
			if (text.charCodeAt(end) === 13) {
				if (end + 1 === text.length) {
					this.#skipLf = true;
				} else if (text.charCodeAt(end + 1) === 10) {
					start = end + 2;
					this.#process(line);
					continue;
				}
			}

			start = end + 1;
			this.#process(line);
			if (this.#broken) {
				return;
			}
		}
	}

	#process(line: string): void {
		if (line === '') {
			this.#dispatch();
			return;
		}

		if (line.charCodeAt(0) === 58) {
			// A comment (`: keepalive`): only life, which the reader counts from the bytes.
			return;
		}

		const colon = line.indexOf(':');
		const field = colon < 0 ? line : line.slice(0, colon);
		let value = colon < 0 ? '' : line.slice(colon + 1);
		if (value.charCodeAt(0) === 32) {
			value = value.slice(1);
		}

		switch (field) {
			case 'data': {
				this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
				this.#hasData = true;
				if (this.#data.length > this.#maxChars) {
					this.#overflow();
				}

				break;
			}

			case 'event': {
				this.#event = value;
				break;
			}

			case 'id': {
				// An id with NUL in it is ignored, as the spec says; any other value replaces the buffer.
				if (!value.includes('\0')) {
					this.#id = value;
				}

				break;
			}

			case 'retry': {
				if (/^\d+$/.test(value)) {
					this.#handlers.onRetry(Number(value));
				}

				break;
			}

			default: {
				// Unknown fields are ignored.
				break;
			}
		}
	}

	#dispatch(): void {
		const id = this.#id;
		const event = this.#event;
		const hasData = this.#hasData;
		const data = this.#data;
		this.#id = undefined;
		this.#event = undefined;
		this.#data = '';
		this.#hasData = false;
		if (hasData) {
			this.#handlers.onEvent({data, ...(event ? {event} : {}), ...(id === undefined ? {} : {id})});
		} else if (id !== undefined) {
			this.#handlers.onIdOnly(id);
		}
	}

	#overflow(): void {
		this.#broken = true;
		this.#line = '';
		this.#data = '';
		this.#handlers.onOverflow();
	}
}

/** The index of the first CR or LF at or after `start`, or -1. */
function lineEnd(text: string, start: number): number {
	const lf = text.indexOf('\n', start);
	const cr = text.indexOf('\r', start);
	if (cr < 0) {
		return lf;
	}

	return lf < 0 ? cr : Math.min(cr, lf);
}
