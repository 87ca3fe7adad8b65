import type {LogRecord} from '../protocol/record.js';
import {ContentResume} from './content-resume.js';
import type {SseMessage} from './dialects/index.js';
import {describeError, HttpError} from './sse-connection.js';
import type {StreamNotice} from './types.js';
import type {HistoryEndpoint} from './ws-history.js';

/*
 * How a WebSocket stream, whose servers send no ids, shows every line once across connections
 * (docs/protocol.md, WebSocket sources). Each connection asks for what came since the last timestamp shown
 * (`since=`, inclusive); where history is known, the connection's live frames are held while history is read
 * from that timestamp (from the start on the first connection), then history and the held frames go through
 * the same content match (content-resume.ts): whatever the server replays twice is shown once. Where
 * nothing can fill what a disconnection missed, that is said with its times.
 */

export type WsResumeHost = {
	/** Into the sequencer, as a frame of connection `generation`. */
	push(generation: number, message: SseMessage): void;
	/** The connection under way, to tell a held backfill it is stale. */
	generation(): number;
	headers(): Record<string, string>;
	notice(kind: StreamNotice['kind'], message: string): void;
};

/** `10:30:45` (UTC, as follow's default timestamps) of a canonical ISO time or epoch ms. */
function clock(time: string | number): string {
	return new Date(time).toISOString().slice(11, 19);
}

export class WsResume {
	readonly #content = new ContentResume();
	readonly #host: WsResumeHost;
	readonly #param: string | undefined;
	#history: HistoryEndpoint | undefined;
	/** Frames of the connection whose backfill is under way, held until it is done. */
	#held: {generation: number; frames: SseMessage[]} | undefined;
	/** When the last connection that opened ended, and whether one ever opened. */
	#lostAt: number | undefined;
	#opened = false;

	/** `resumeParam`: the query parameter that carries the last timestamp (undefined: none is sent). */
	constructor(history: HistoryEndpoint | undefined, resumeParam: string | undefined, host: WsResumeHost) {
		this.#history = history;
		this.#param = resumeParam;
		this.#host = host;
	}

	/** The URL of the next connection: `since=` the last timestamp shown, once there is one. */
	url(base: URL): URL {
		const last = this.#content.lastTimestamp;
		if (this.#param === undefined || last === undefined) {
			return base;
		}

		const url = new URL(base);
		url.searchParams.set(this.#param, last);
		return url;
	}

	/** A connection opened: what it replays is matched, and history (where known) fills what came before. */
	opened(generation: number): void {
		const resumed = this.#opened;
		this.#opened = true;
		this.#content.arm();
		if (this.#history) {
			this.#held = {generation, frames: []};
			void this.#backfill(this.#history, generation, resumed);
		} else if (resumed && this.#param === undefined) {
			this.#sayGap();
		}
	}

	/** A frame of connection `generation`: held behind a backfill under way, else on its way. */
	frame(generation: number, message: SseMessage): void {
		if (this.#held?.generation === generation) {
			this.#held.frames.push(message);
		} else {
			this.#host.push(generation, message);
		}
	}

	/** The connection ended; frames held for it are dropped (the next connection's replay has them). */
	closed(): void {
		if (this.#opened) {
			this.#lostAt = Date.now();
		}

		this.#held = undefined;
	}

	/** Whether a decoded record is new: the one check every record of a WebSocket stream goes through. */
	accept(record: LogRecord): boolean {
		return this.#content.offer(record) === 'deliver';
	}

	async #backfill(history: HistoryEndpoint, generation: number, resumed: boolean): Promise<void> {
		try {
			for await (const items of history.read(this.#content.lastTimestamp, this.#host.headers(), AbortSignal.timeout(30_000))) {
				if (this.#host.generation() !== generation) {
					return;
				}

				for (const item of items) {
					this.#host.push(generation, {data: typeof item === 'string' ? item : JSON.stringify(item)});
				}
			}
		} catch (error) {
			if (this.#host.generation() !== generation) {
				return;
			}

			if (error instanceof HttpError && (error.status === 404 || error.status === 405)) {
				// This server keeps no history there: not asked again.
				this.#history = undefined;
				this.#host.notice('lines-missing', `no history at ${history.name} (${error.message}): lines sent while disconnected come only from the server's ${this.#param ?? 'resume'} replay`);
			} else {
				this.#host.notice('lines-missing', `could not read history (${history.name}): ${describeError(error)}`);
			}

			// With `since=` the server replays what the connection missed; without it, nothing can.
			if (resumed && this.#param === undefined) {
				this.#sayGap();
			}
		}

		const held = this.#held;
		if (held?.generation !== generation) {
			return;
		}

		// History may have gone past what the held frames replay: match them from the new last timestamp.
		this.#held = undefined;
		this.#content.arm();
		for (const frame of held.frames) {
			this.#host.push(generation, frame);
		}
	}

	#sayGap(): void {
		const from = this.#content.lastTimestamp ?? this.#lostAt;
		if (from !== undefined) {
			this.#host.notice('lines-missing', `gap: lines may be missing between ${clock(from)} and ${clock(Date.now())}`);
		}
	}
}
