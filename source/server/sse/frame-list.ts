import type {ServerResponse} from 'node:http';
import {CHUNK_CHARS, nextWire} from './direct-write.js';
import type {Frame} from './log-frames.js';

const isHighSurrogate = (code: number) => code >= 0xd8_00 && code <= 0xdb_ff;

/**
 * The frames waiting for one client, in order, each with the events it holds, cut into writes: whole frames
 * for the socket, or slices of text for the response. Taken from the front without copying the arrays.
 */
export class FrameList {
	/** Each with its UTF-8 bytes (measured once, by whoever made it). */
	#frames: Frame[] = [];
	/** Beside each frame: the events it holds (a feed batch's records may share one frame). */
	#counts: number[] = [];
	/** Index of the first unsent frame: taking from the front must not copy the arrays. */
	#head = 0;
	/** Characters, and their bytes, of the first unsent frame already written (a large frame goes out in slices). */
	#offset = 0;
	#offsetBytes = 0;

	get empty(): boolean {
		return this.#frames.length === this.#head;
	}

	/** The first unsent frame, whole: undefined while part of it is written. */
	get nextWhole(): Frame | undefined {
		return this.#offset === 0 ? this.#frames[this.#head] : undefined;
	}

	push(frame: Frame, events: number): void {
		this.#frames.push(frame);
		this.#counts.push(events);
	}

	/** Drops every frame; returns the rest of a frame the socket has only part of. */
	clear(): string {
		const rest = this.#offset > 0 ? this.#frames[this.#head]!.text.slice(this.#offset) : '';
		this.#frames = [];
		this.#counts = [];
		this.#head = 0;
		this.#offset = 0;
		this.#offsetBytes = 0;
		return rest;
	}

	/** Whole frames from the head as one write straight to the socket (see direct-write.ts): the write, its events, their UTF-8 bytes. */
	nextWire(res: ServerResponse): [Buffer, number, number, number] {
		const next = nextWire(res, this.#frames, this.#counts, this.#head);
		this.#head = next[3];
		this.#compact();
		return next;
	}

	/**
	 * Up to CHUNK_CHARS of the queued text (a frame may be cut, never inside a surrogate pair), the events of
	 * the frames it ends, and its UTF-8 bytes (whole frames by their known size: nothing is measured twice).
	 */
	nextChunk(): [string, number, number] {
		let chunk = '';
		let count = 0;
		let bytes = 0;
		while (this.#head < this.#frames.length && chunk.length < CHUNK_CHARS) {
			const {text: frame, bytes: size} = this.#frames[this.#head]!;
			const room = CHUNK_CHARS - chunk.length;
			if (frame.length - this.#offset <= room) {
				chunk += this.#offset === 0 ? frame : frame.slice(this.#offset);
				bytes += size - this.#offsetBytes;
				count += this.#counts[this.#head]!;
				this.#head++;
				this.#offset = 0;
				this.#offsetBytes = 0;
				continue;
			}

			let end = this.#offset + room;
			if (isHighSurrogate(frame.charCodeAt(end - 1))) {
				end--;
			}

			if (end <= this.#offset) {
				break;
			}

			const slice = frame.slice(this.#offset, end);
			const sliceBytes = Buffer.byteLength(slice);
			chunk += slice;
			bytes += sliceBytes;
			this.#offset = end;
			this.#offsetBytes += sliceBytes;
		}

		this.#compact();
		return [chunk, count, bytes];
	}

	#compact(): void {
		if (this.#head === this.#frames.length) {
			// Emptied in place: a live client's queue empties on every write, and new arrays would be garbage each time.
			this.#frames.length = 0;
			this.#counts.length = 0;
			this.#head = 0;
		} else if (this.#head > 4096) {
			this.#frames = this.#frames.slice(this.#head);
			this.#counts = this.#counts.slice(this.#head);
			this.#head = 0;
		}
	}
}
