import type {Run, StoredLogRecord} from './record.js';

/** `GET /api/catalog`: what can be followed, each with its current run. */
export type Catalog = {
	automations: Array<{id: string; tasks: string[]; currentRun: Run | null}>;
	pipelines: Array<{id: string; artifacts: string[]; currentRun: Run | null}>;
};

/**
 * A history endpoint's answer: records ascending by id; `next` is where more lie beyond the page (pass it as
 * `after` when `order` is `asc`, as `before` when `desc`), null when none do; `order` is the direction the
 * page was cut in (absent from servers older than the parameter, which a client that sent it must refuse).
 */
export type HistoryAnswer = {logs: StoredLogRecord[]; next: string | null; order?: 'asc' | 'desc'};

/** `POST /api/runs` answer. */
export type CreatedRun = {runId: string};

/** `POST /api/runs/{runId}/logs` answer. */
export type IngestResult = {firstId: string; lastId: string; count: number};

/** `GET /api/stream/status`. */
export type StreamStatus = {connections: number; streams: Array<{stream: string; connections: number}>};
