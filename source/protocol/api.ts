import type {Run, StoredLogRecord} from './record.js';

/** `GET /api/catalog`: what can be followed, each with its current run. */
export type Catalog = {
	automations: Array<{id: string; tasks: string[]; currentRun: Run | null}>;
	pipelines: Array<{id: string; artifacts: string[]; currentRun: Run | null}>;
};

/** History endpoints: ascending by id; `next` is the id to pass as `after` for the next page. */
export type HistoryPage = {logs: StoredLogRecord[]; next: string | null};

/** `POST /api/runs` answer. */
export type CreatedRun = {runId: string};

/** `POST /api/runs/{runId}/logs` answer. */
export type IngestResult = {firstId: string; lastId: string; count: number};

/** `GET /api/stream/status`. */
export type StreamStatus = {connections: number; streams: Array<{stream: string; connections: number}>};
