import type {Dialect} from '../types.js';
import {decodeDatashop, looksDatashop} from './datashop.js';
import {decodeDbtail, looksDbtail} from './dbtail.js';
import {decodeGeneric} from './generic.js';
import {decodeStratal} from './stratal.js';
import {isKeepAlive} from './keep-alive.js';
import type {Decoder, SseMessage} from './types.js';

export const decoders: Record<Dialect, Decoder> = {
	dbtail: decodeDbtail,
	stratal: decodeStratal,
	datashop: decodeDatashop,
	generic: decodeGeneric,
};

/** Guesses the dialect from the first event that carries data; undefined while there is nothing to go on (blank data, keep-alives). */
export function detectDialect(message: SseMessage): Dialect | undefined {
	if (message.data.trim() === '' || isKeepAlive(message.event)) {
		return undefined;
	}

	if (message.event === 'log') {
		return 'stratal';
	}

	if (looksDbtail(message)) {
		return 'dbtail';
	}

	return looksDatashop(message) ? 'datashop' : 'generic';
}

/** A hint from the URL alone: Stratal's endpoint is recognizable before any event arrives. */
export function dialectFromUrl(url: URL): Dialect | undefined {
	return url.pathname.endsWith('/api/v1/logs/stream/sse') ? 'stratal' : undefined;
}

export type {Decoded, Decoder, MessageText, SseMessage} from './types.js';
