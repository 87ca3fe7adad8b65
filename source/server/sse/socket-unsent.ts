import type {ServerResponse} from 'node:http';
import type {Socket} from 'node:net';

/** What a socket has not handed to the kernel yet, as far as the server can see it. */
export type Unsent = {length: number; queued: number};

/**
 * `writableLength` counts what the stream holds until each write is done whole; libuv's `writeQueueSize`
 * is what of the write under way the kernel has not taken yet, which shrinks as it takes part of it (Node's
 * own socket timeout reads it the same way to tell a slow write from a stuck one). A socket without it
 * (not a libuv stream) shows its progress by `writableLength` alone.
 */
export function unsent(res: ServerResponse): Unsent {
	const socket = res.socket as (Socket & {_handle?: {writeQueueSize?: unknown}}) | null;
	const queued = socket?._handle?.writeQueueSize;
	return {length: res.writableLength, queued: typeof queued === 'number' ? queued : 0};
}
