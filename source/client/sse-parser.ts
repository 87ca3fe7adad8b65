/*
 * The event-stream format as the WHATWG HTML standard defines it (server-sent events, "Parsing an event
 * stream" and "Interpreting an event stream"), fed decoded text in chunks split anywhere.
 *
 * Why not eventsource-parser, which did this before: its 3.x line (the last for Node 20) drops a block that
 * has an `id:` but no `data:`, so a client cannot honour "an event with an id and no data sets the resume
 * point" nor tell an empty `id:` (reset) from none; 4.x reports both but needs Node 22. The algorithm is
 * short and the conformance tests (test/conformance/) hold it to the spec case by case.
 */
import {StringDecoder} from 'node:string_decoder';

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
	/** feedBytes: the unfinished line's bytes carried over from earlier chunks, and their length. */
	#pending: Buffer[] = [];
	#pendingBytes = 0;
	/** feedBytes after a CR was seen: the bytes are decoded to text and go through feed (CR is rare; LF is the norm). */
	#decoder: StringDecoder | undefined;

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

	/**
	 * The same parse, fed raw UTF-8 bytes in chunks split anywhere (also inside a character). Lines are found
	 * on the bytes and each `data:` value is decoded on its own, so one non-ASCII character makes only its own
	 * line a two-byte string, not the whole chunk (JSON.parse reads one-byte strings faster). A stream with a
	 * CR in it is decoded and read by feed from there on.
	 */
	feedBytes(chunk: Buffer): void {
		if (this.#broken || chunk.length === 0) {
			return;
		}

		if (this.#decoder) {
			this.feed(this.#decoder.write(chunk));
			return;
		}

		if (chunk.includes(13)) {
			this.#decoder = new StringDecoder('utf8');
			const pending = this.#pending.length > 0 ? this.#decoder.write(Buffer.concat(this.#pending)) : '';
			this.#pending = [];
			this.#pendingBytes = 0;
			this.feed(pending + this.#decoder.write(chunk));
			return;
		}

		let start = 0;
		if (this.#pendingBytes > 0) {
			const end = chunk.indexOf(10);
			if (end < 0) {
				this.#carry(chunk);
				return;
			}

			this.#pending.push(chunk.subarray(0, end));
			const line = Buffer.concat(this.#pending);
			this.#pending = [];
			this.#pendingBytes = 0;
			this.#processBytes(line, 0, line.length);
			start = end + 1;
		}

		let end = chunk.indexOf(10, start);
		while (end >= 0 && !this.#broken) {
			this.#processBytes(chunk, start, end);
			start = end + 1;
			end = chunk.indexOf(10, start);
		}

		if (start < chunk.length && !this.#broken) {
			this.#carry(chunk.subarray(start));
		}
	}

	#carry(bytes: Buffer): void {
		this.#pending.push(bytes);
		this.#pendingBytes += bytes.length;
		// Counted in bytes, the unit a line is held in here: past the limit in bytes is past any log line.
		if (this.#pendingBytes > this.#maxChars) {
			this.#pending = [];
			this.#pendingBytes = 0;
			this.#overflow();
		}
	}

	/** One whole line, `bytes[start, end)`, without its LF. */
	#processBytes(bytes: Buffer, start: number, end: number): void {
		let from = start;
		if (this.#first) {
			this.#first = false;
			// One leading BOM (EF BB BF) is not part of the stream.
			if (end - from >= 3 && bytes[from] === 0xef && bytes[from + 1] === 0xbb && bytes[from + 2] === 0xbf) {
				from += 3;
			}
		}

		// `data:` (the line nearly every event is), read here; any other field as text by #process.
		if (end - from >= 5 && bytes[from] === 100 && bytes[from + 1] === 97 && bytes[from + 2] === 116 && bytes[from + 3] === 97 && bytes[from + 4] === 58) {
			const value = end > from + 5 && bytes[from + 5] === 32 ? from + 6 : from + 5;
			this.#addData(bytes.toString('utf8', value, end));
			return;
		}

		this.#process(from === end ? '' : bytes.toString('utf8', from, end));
	}

	#addData(value: string): void {
		this.#data = this.#hasData ? `${this.#data}\n${value}` : value;
		this.#hasData = true;
		if (this.#data.length > this.#maxChars) {
			this.#overflow();
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
				this.#addData(value);
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
			// One object shape per case, without spreads: this runs once per line.
			if (event) {
				this.#handlers.onEvent(id === undefined ? {data, event} : {data, event, id});
			} else {
				this.#handlers.onEvent(id === undefined ? {data} : {data, id});
			}
		} else if (id !== undefined) {
			this.#handlers.onIdOnly(id);
		}
	}

	#overflow(): void {
		this.#broken = true;
		this.#line = '';
		this.#pending = [];
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
