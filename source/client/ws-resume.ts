import type {LogRecord} from '../protocol/record.js';
import {ContentResume, contentKey, replayStart} from './content-resume.js';
import type {SseMessage} from './dialects/index.js';
import {PauseGate} from './pause-gate.js';
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
	/** A frame as the stream's dialect reads it: its record, if it is one. */
	decode(message: SseMessage): LogRecord | undefined;
	notice(kind: StreamNotice['kind'], message: string): void;
};

/** `10:30:45` (UTC, as follow's default timestamps) of a canonical ISO time or epoch ms. */
function clock(time: string | number): string {
	return new Date(time).toISOString().slice(11, 19);
}

/**
 * How much of a connection's live text is held behind its backfill before the socket is held too (`wait`):
 * past it the server sees a slow reader, as a full output makes it see; unbounded, a slow history read let
 * a fast server fill memory with frames (bench:follow's ws:// row held 64,000 of its 200,000).
 */
export const HOLD_CHARS = 1024 * 1024;

export class WsResume {
	readonly #content = new ContentResume();
	readonly #host: WsResumeHost;
	readonly #param: string | undefined;
	#history: HistoryEndpoint | undefined;
	/** Frames of the connection whose backfill is under way, held until it is done. */
	#held: {generation: number; frames: SseMessage[]; chars: number} | undefined;
	/** Set while the held frames are past HOLD_CHARS: the reader waits for it before it reads on. */
	readonly #full = new PauseGate();
	/** While history is read: the lines from the last timestamp shown on, in order, where held frames are matched. */
	#recent: string[] | undefined;
	/**
	 * After history: what of it the connection's frames will repeat, matched one by one until the first line
	 * that differs (`#matched` of them so far). `#findStart`: no frame had come, so the first one says where.
	 */
	#pending: string[] | undefined;
	#matched = 0;
	#findStart = false;
	/** When the last connection that opened ended, and whether one ever opened. */
	#lostAt: number | undefined;
	#opened = false;

	/** `resumeParam`: the query parameter that carries the last timestamp (undefined: none is sent). */
	constructor(history: HistoryEndpoint | undefined, resumeParam: string | undefined, host: WsResumeHost) {
		this.#history = history;
		this.#param = resumeParam;
		this.#host = host;
	}

	/** Resolves when the reader may read on; undefined while fewer frames than HOLD_CHARS are held. */
	get wait(): Promise<void> | undefined {
		return this.#full.wait;
	}

	/** The socket is held for the backfill: its silence says nothing of the server (the watchdog's excuse). */
	get holding(): boolean {
		return this.#full.paused;
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
			this.#held = {generation, frames: [], chars: 0};
			this.#recent = [...this.#content.shownAtLast];
			void this.#backfill(this.#history, generation, resumed);
		} else if (resumed && this.#param === undefined) {
			this.#sayGap();
		}
	}

	/** A frame of connection `generation`: held behind a backfill under way, else on its way. */
	frame(generation: number, message: SseMessage): void {
		const held = this.#held;
		if (held?.generation === generation) {
			held.frames.push(message);
			held.chars += message.data.length;
			if (held.chars > HOLD_CHARS) {
				this.#full.pause();
			}
		} else {
			this.#host.push(generation, message);
		}
	}

	/** The connection ended; frames held for it are dropped (the next connection's replay has them). */
	closed(): void {
		if (this.#opened) {
			this.#lostAt = Date.now();
		}

		this.#release();
		this.#recent = undefined;
		this.#pending = undefined;
	}

	/** Whether a decoded record is new: the one check every record of a WebSocket stream goes through. */
	accept(record: LogRecord): boolean {
		if (this.#pending && this.#repeats(contentKey(record))) {
			return false;
		}

		const fresh = this.#content.offer(record) === 'deliver';
		if (fresh) {
			this.#recent?.push(contentKey(record));
		}

		return fresh;
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

			// What history gave is not all there is: the held frames are matched at the last timestamp instead.
			this.#recent = undefined;

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

		this.#release();
		const recent = this.#recent;
		this.#recent = undefined;
		if (!recent) {
			// No history read: the held frames replay from the last timestamp (`since=`), or nothing is known.
			this.#content.arm();
			for (const frame of held.frames) {
				this.#host.push(generation, frame);
			}

			return;
		}

		/*
		 * The held frames begin where the connection caught the stream (a live-only server: mid-timestamp,
		 * perhaps) or at the last timestamp shown (`since=`), and history ran from there to when it was read:
		 * they repeat part of what is shown now, found by sequence, not by time; frames still on their way
		 * go on repeating it until its end.
		 */
		const keys = held.frames.map((frame) => this.#host.decode(frame)).filter((record) => record !== undefined).map((record) => contentKey(record));
		const start = keys.length === 0 ? 0 : replayStart(recent, keys);
		this.#pending = start < 0 ? undefined : recent.slice(start);
		this.#matched = 0;
		this.#findStart = keys.length === 0;
		this.#content.disarm();
		for (const frame of held.frames) {
			this.#host.push(generation, frame);
		}
	}

	/** No frame is held any more: a reader held for them reads on (once the frames below are pushed). */
	#release(): void {
		this.#held = undefined;
		this.#full.resume();
	}

	/** Whether a line repeats what history showed; the first that does not ends the matching. */
	#repeats(key: string): boolean {
		const pending = this.#pending!;
		if (this.#findStart) {
			this.#findStart = false;
			const at = pending.indexOf(key);
			/*
			 * No frame came while history was read, so this one alone says where the connection caught the
			 * stream. A line equal to one at history's last timestamp may be either its repeat or a new equal
			 * line at the same time: it is shown (twice at worst) rather than dropped (lost at worst).
			 */
			const lastTime = pending.at(-1)!.split('\u0000', 1)[0];
			if (at < 0 || key.startsWith(`${lastTime}\u0000`)) {
				this.#pending = undefined;
				return false;
			}

			this.#matched = at;
		}

		if (pending[this.#matched] === key) {
			this.#matched++;
			if (this.#matched === pending.length) {
				this.#pending = undefined;
			}

			return true;
		}

		this.#pending = undefined;
		return false;
	}

	#sayGap(): void {
		const from = this.#content.lastTimestamp ?? this.#lostAt;
		if (from !== undefined) {
			this.#host.notice('lines-missing', `gap: lines may be missing between ${clock(from)} and ${clock(Date.now())}`);
		}
	}
}
