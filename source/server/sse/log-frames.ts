import type {WireEvent} from '../../protocol/events.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import {sseEvent} from '../../protocol/sse.js';

/** An SSE frame and its size in UTF-8 bytes as written (what queue limits count). */
export type Frame = {text: string; bytes: number};

export function logFrame(record: StoredLogRecord): Frame {
	const event: WireEvent = {type: 'log', data: record};
	const text = sseEvent(event, record.id);
	return {text, bytes: Buffer.byteLength(text)};
}

// A live record goes to every client following it: serialize it (and measure it) once, not once per client.
// History pages are read per session, so their records skip the cache (a WeakMap entry per replayed record
// cost the replay a tenth of its time, in the set and in GC).
const frames = new WeakMap<StoredLogRecord, Frame>();

export function sharedLogFrame(record: StoredLogRecord): Frame {
	let frame = frames.get(record);
	if (frame === undefined) {
		frame = logFrame(record);
		frames.set(record, frame);
	}

	return frame;
}
