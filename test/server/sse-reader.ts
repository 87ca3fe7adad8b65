import http from 'node:http';
import type {StoredLogRecord} from '../../source/protocol/record.js';
import type {WireEvent} from '../../source/protocol/events.js';

/*
 * A raw SSE reader for server tests: node:http, so a test can pause the socket (a slow consumer),
 * see comments (heartbeats) and `retry:`, and wait for conditions with a deadline instead of sleeping.
 */

export type SseFrame = {id?: string; data?: WireEvent; comment?: string; retry?: number};

export type OpenOptions = {token?: string; lastEventId?: string; paused?: boolean};

export class SseReader {
	readonly frames: SseFrame[] = [];
	ended = false;
	#buffer = '';
	#listeners = new Set<() => void>();

	readonly #request: http.ClientRequest;
	readonly #response: http.IncomingMessage;

	private constructor(
		readonly status: number,
		readonly headers: http.IncomingHttpHeaders,
		request: http.ClientRequest,
		response: http.IncomingMessage,
	) {
		this.#request = request;
		this.#response = response;
		response.setEncoding('utf8');
		response.on('data', (chunk: string) => this.#onData(chunk));
		const end = () => {
			this.ended = true;
			this.#notify();
		};

		response.on('end', end);
		response.on('close', end);
		response.on('error', end);
	}

	static async open(url: string | URL, options: OpenOptions = {}): Promise<SseReader> {
		const headers: Record<string, string> = {accept: 'text/event-stream'};
		if (options.token) {headers.authorization = `Bearer ${options.token}`;}
		if (options.lastEventId !== undefined) {headers['last-event-id'] = options.lastEventId;}
		return new Promise((resolve, reject) => {
			const request = http.get(url, {headers}, (response) => {
				if (options.paused) {response.pause();}
				resolve(new SseReader(response.statusCode ?? 0, response.headers, request, response));
			});
			request.on('error', reject);
		});
	}

	/** Log records received, in order. */
	get logs(): StoredLogRecord[] {
		return this.frames.flatMap((frame) => (frame.data?.type === 'log' ? [frame.data.data as StoredLogRecord] : []));
	}

	get events(): WireEvent[] {
		return this.frames.flatMap((frame) => (frame.data ? [frame.data] : []));
	}

	/** The body of a non-200 answer, parsed. */
	async body(): Promise<{error: {code: string; message: string}}> {
		await this.waitFor(() => this.ended, 'the response to end');
		return JSON.parse(this.#buffer) as {error: {code: string; message: string}};
	}

	pause(): void {
		this.#response.pause();
	}

	resume(): void {
		this.#response.resume();
	}

	close(): void {
		this.#request.destroy();
	}

	/** Resolves once `predicate` holds; rejects after `timeoutMs` naming what it waited for. */
	async waitFor(predicate: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
		if (predicate()) {return;}
		return new Promise((resolve, reject) => {
			const check = () => {
				if (predicate()) {
					clearTimeout(timer);
					this.#listeners.delete(check);
					resolve();
				} else if (this.ended) {
					clearTimeout(timer);
					this.#listeners.delete(check);
					reject(new Error(`stream ended before ${what} (${this.frames.length} frames)`));
				}
			};

			const timer = setTimeout(() => {
				this.#listeners.delete(check);
				reject(new Error(`timed out waiting for ${what} (${this.frames.length} frames, ${this.logs.length} logs)`));
			}, timeoutMs);
			this.#listeners.add(check);
		});
	}

	#onData(chunk: string): void {
		this.#buffer += chunk;
		if (this.status !== 200) {return;}
		let end: number;
		while ((end = this.#buffer.indexOf('\n\n')) >= 0) {
			const block = this.#buffer.slice(0, end);
			this.#buffer = this.#buffer.slice(end + 2);
			const frame: SseFrame = {};
			for (const line of block.split('\n')) {
				if (line.startsWith(':')) {frame.comment = line.slice(1).trim();}
				else if (line.startsWith('id: ')) {frame.id = line.slice(4);}
				else if (line.startsWith('retry: ')) {frame.retry = Number(line.slice(7));}
				else if (line.startsWith('data: ')) {frame.data = JSON.parse(line.slice(6)) as WireEvent;}
			}

			this.frames.push(frame);
		}

		this.#notify();
	}

	#notify(): void {
		for (const listener of [...this.#listeners]) {listener();}
	}
}
