/*
 * Why frames skip the response: Node's `res.write()` encodes each client's copy of a frame again and writes
 * the chunk's size line, text and CRLF as three pieces. A live frame is shared by every client of a stream,
 * so here it is encoded once as a whole HTTP/1.1 chunk (kept on the frame) and written to each client's
 * socket as one write; several small frames waiting for one client go as one chunk.
 *
 * Node exposes no API for this, so it reads Node's HTTP internals: `_headerSent` (the head went out),
 * `_hasBody` (the answer has a body), `outputData` (what the response still holds unwritten),
 * `socket._httpMessage` (the socket is this answer's, not a pipelined request's) and `chunkedEncoding`
 * (HTTP/1.1 chunks, or the bare text of an HTTP/1.0 answer).
 *
 * The fallbacks, all through `res.write()` as any response writes: the first write (the head is not out
 * yet), any answer whose internals say other than above or that lack them, a response whose socket was
 * replaced, the rest of a frame the socket has only part of, and a frame longer than CHUNK_CHARS (it goes
 * out in slices). A frame whose size is not its text's is encoded from its text.
 */
import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';
import type {Frame} from './log-frames.js';

/** Most text one socket write takes: a larger frame goes out in slices, so a socket holds at most this of it. */
export const CHUNK_CHARS = 64 * 1024;
/** Most bytes of whole frames put together in one write straight to the socket. */
const CHUNK_BYTES = 64 * 1024;

/** Node's HTTP internals the direct write reads: whether the answer owns its socket and has sent its head. */
type OpenResponse = ServerResponse & {_headerSent?: boolean; _hasBody?: boolean; chunkedEncoding?: boolean; outputData?: unknown[]};

/**
 * A frame as an HTTP/1.1 chunk (size line, text, CRLF), kept on a shared frame for every client after the
 * first. The bare text of an HTTP/1.0 answer is the middle of it.
 */
function chunkOf(frame: Frame): Buffer {
	if (frame.wire !== undefined) {
		return frame.wire;
	}

	const head = `${frame.bytes.toString(16)}\r\n`;
	let wire = Buffer.allocUnsafe(head.length + frame.bytes + 2);
	wire.write(head, 0, 'latin1');
	if (wire.write(frame.text, head.length, 'utf8') === frame.bytes) {
		wire.write('\r\n', head.length + frame.bytes, 'latin1');
	} else {
		// A size that was not the text's (never made by this server's frames): the text's own.
		const text = Buffer.from(frame.text);
		wire = Buffer.concat([Buffer.from(`${text.length.toString(16)}\r\n`), text, Buffer.from('\r\n')]);
	}

	if (frame.shared) {
		frame.wire = wire;
	}

	return wire;
}

/**
 * The last several shared frames written as one chunk, and that chunk: clients of one stream that the pump
 * reached at the same point of a round hold the same frames, and take the same bytes.
 */
let together: {frames: Frame[]; wire: Buffer} | undefined;

function sameFrames(frames: readonly Frame[], from: number, to: number, kept: readonly Frame[]): boolean {
	if (kept.length !== to - from) {
		return false;
	}

	for (let index = from; index < to; index++) {
		if (frames[index] !== kept[index - from]) {
			return false;
		}
	}

	return true;
}

/** The text of a chunk made by chunkOf. */
const chunkText = (chunk: Buffer) => chunk.subarray(chunk.indexOf(0x0a) + 1, -2);

/**
 * The socket, when frames may go to it straight: the answer's head is sent, nothing of it waits in the
 * response, and the socket is this answer's (not a pipelined request's). Then a frame is one write of bytes
 * made once for every client (chunkOf), where the response would encode each client's copy and write the
 * chunk's size line, text and CRLF as three; the first write, and any other time, go through the response.
 * `ownSocket` is the one the response had when its queue was made: the only one whose 'drain' is heard.
 */
export function directSocket(response: ServerResponse, ownSocket: Socket | undefined, next: Frame): Socket | undefined {
	const res = response as OpenResponse;
	const socket = ownSocket as (Socket & {_httpMessage?: unknown}) | undefined;
	// Each internal as Node 20 to 24 have it, or the response writes: a missing `chunkedEncoding` must not send
	// bare text to a chunked answer, nor a missing `outputData` skip what the response still holds.
	if (socket === undefined || res.socket !== socket || res._headerSent !== true || res._hasBody === false || socket._httpMessage !== res || typeof res.chunkedEncoding !== 'boolean' || !Array.isArray(res.outputData) || res.outputData.length > 0) {
		return undefined;
	}

	if (next.text.length > CHUNK_CHARS) {
		return undefined;
	}

	return socket;
}

/**
 * Whole frames from `head`, up to CHUNK_BYTES (at least one), as the socket takes them: one frame's kept
 * chunk as it is, several as one chunk; the events of those frames, their UTF-8 bytes, and the index after
 * the last of them. `counts` holds the events beside each frame.
 */
export function nextWire(res: ServerResponse, frames: readonly Frame[], counts: readonly number[], head: number): [Buffer, number, number, number] {
	const chunked = (res as OpenResponse).chunkedEncoding === true;
	let end = head + 1;
	let bytes = frames[head]!.bytes;
	let count = counts[head]!;
	while (end < frames.length && frames[end]!.text.length <= CHUNK_CHARS && bytes + frames[end]!.bytes <= CHUNK_BYTES) {
		bytes += frames[end]!.bytes;
		count += counts[end]!;
		end++;
	}

	let wire: Buffer;
	if (end === head + 1) {
		const chunk = chunkOf(frames[head]!);
		wire = chunked ? chunk : chunkText(chunk);
	} else if (together !== undefined && sameFrames(frames, head, end, together.frames)) {
		wire = chunked ? together.wire : chunkText(together.wire);
	} else {
		const size = `${bytes.toString(16)}\r\n`;
		const chunk = Buffer.allocUnsafe(size.length + bytes + 2);
		let at = chunk.write(size, 0, 'latin1');
		let shared = true;
		for (let index = head; index < end; index++) {
			const frame = frames[index]!;
			shared &&= frame.shared === true;
			at += frame.shared ? chunkText(chunkOf(frame)).copy(chunk, at) : chunk.write(frame.text, at, 'utf8');
		}

		chunk.write('\r\n', at, 'latin1');
		if (shared) {
			together = {frames: frames.slice(head, end), wire: chunk};
		}

		wire = chunked ? chunk : chunkText(chunk);
	}

	return [wire, count, bytes, end];
}
