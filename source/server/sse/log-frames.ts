import type {WireEvent} from '../../protocol/events.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import {sseEvent} from '../../protocol/sse.js';

export function logFrame(record: StoredLogRecord): string {
	const event: WireEvent = {type: 'log', data: record};
	return sseEvent(event, record.id);
}

// A live record goes to every client following it: serialize it once, not once per client. History
// pages are read per session, so their records skip the cache (a WeakMap entry per replayed record cost
// the replay a tenth of its time, in the set and in GC).
const frames = new WeakMap<StoredLogRecord, string>();

export function sharedLogFrame(record: StoredLogRecord): string {
	let frame = frames.get(record);
	if (frame === undefined) {
		frame = logFrame(record);
		frames.set(record, frame);
	}

	return frame;
}
