import type {WireEvent} from '../../protocol/events.js';
import type {StoredLogRecord} from '../../protocol/record.js';
import {sseEvent} from '../../protocol/sse.js';

/**
 * An SSE frame and its size in UTF-8 bytes as written (what queue limits count). `wire` is its bytes as the
 * socket takes them (an HTTP/1.1 chunk, or the bare text to an HTTP/1.0 client), made by the first queue that
 * writes it and kept here: a frame shared by 10,000 clients is encoded once, not once per client.
 */
export type Frame = {
	readonly text: string;
	readonly bytes: number;
	/** Written to many clients (a live record, a feed batch, a heartbeat): its wire bytes are worth keeping. */
	readonly shared?: boolean;
	wire?: Buffer;
};

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
		frame = {...logFrame(record), shared: true};
		frames.set(record, frame);
	}

	return frame;
}

/**
 * One frame for several live records in a row, shared by every client that gets exactly these records of one
 * feed batch: clients of one stream (`shape`: its name and level floor) select the same records from it, and
 * each sends a run of them that starts and ends at given ids, so those two ids name the run. They do because a
 * run is contiguous in the shape's selection (RecordSender.sendLive): ids in a batch ascend, so the records a
 * client skips as already sent are a leading prefix, and every other skip or status between records ends the
 * run; two clients with the same first and last id hold the same records.
 * Kept as long as the batch's record array lives (the feed event), like the single frames above.
 */
const batches = new WeakMap<readonly StoredLogRecord[], Map<string, Frame>>();

/**
 * What one stream shape selected of a feed batch (an array all its clients share, see SseSession), as one
 * frame: looked up by that array, with no key to build per client.
 */
const selections = new WeakMap<readonly StoredLogRecord[], Frame>();

export function selectionFrame(batch: readonly StoredLogRecord[], shape: string, records: readonly StoredLogRecord[]): Frame {
	let frame = selections.get(records);
	if (frame === undefined) {
		frame = sharedBatchFrame(batch, shape, records);
		selections.set(records, frame);
	}

	return frame;
}

export function sharedBatchFrame(batch: readonly StoredLogRecord[], shape: string, records: readonly StoredLogRecord[]): Frame {
	if (records.length === 1) {
		return sharedLogFrame(records[0]!);
	}

	let shared = batches.get(batch);
	if (shared === undefined) {
		shared = new Map();
		batches.set(batch, shared);
	}

	const key = `${shape}\n${records[0]!.id}\n${records.at(-1)!.id}\n${records.length}`;
	let frame = shared.get(key);
	if (frame === undefined) {
		const parts: string[] = [];
		let bytes = 0;
		for (const record of records) {
			const one = sharedLogFrame(record);
			parts.push(one.text);
			bytes += one.bytes;
		}

		// join makes one flat string here, not a rope that each client's socket write would flatten again.
		frame = {text: parts.join(''), bytes, shared: true};
		shared.set(key, frame);
	}

	return frame;
}
