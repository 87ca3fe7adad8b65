import type {HistoryAnswer} from '../protocol/api.js';
import type {LogRecord} from '../protocol/record.js';
import {historyUrl, type StreamRef} from '../protocol/streams.js';
import {normalizeDbtailRecord} from './dialects/dbtail.js';
import {isObject, text} from './dialects/fields.js';
import type {MessageText} from './dialects/types.js';
import {HttpError} from './sse-connection.js';

const PAGE = 1000;
// A gap is a handful of lines; this bounds a misbehaving server that keeps answering `next`.
const MAX_PAGES = 1000;

/** Records of `runId` with `afterId < id < beforeId`, ascending, normalized like streamed ones. */
export async function fetchRange(
	server: string,
	ref: StreamRef,
	range: {runId: string; afterId?: string; beforeId?: string},
	headers: Record<string, string>,
	signal: AbortSignal,
	messageText: MessageText = text,
): Promise<LogRecord[]> {
	const records: LogRecord[] = [];
	let after = range.afterId;
	for (let page = 0; page < MAX_PAGES; page++) {
		const url = historyUrl(server, {...ref, run: range.runId}, {after, before: range.beforeId, limit: PAGE});
		const response = await fetch(url, {headers: {Accept: 'application/json', ...headers}, signal});
		if (response.status !== 200) {
			await response.body?.cancel();
			throw new HttpError(response.status, `history answered HTTP ${response.status}`);
		}

		const body = (await response.json()) as Partial<HistoryAnswer>;
		const logs = Array.isArray(body.logs) ? body.logs : [];
		const receivedAt = Date.now();
		for (const raw of logs) {
			if (isObject(raw)) {
				records.push(normalizeDbtailRecord(raw, undefined, receivedAt, messageText));
			}
		}

		if (!body.next || logs.length === 0) {
			break;
		}

		after = String(body.next);
	}

	return records;
}
