import type {Level} from './levels.js';

/**
 * The one normalized log record. Every dialect becomes this at the edge (client/dialects/), and the
 * server stores and sends exactly this shape. Fields a dialect cannot fill stay undefined.
 */
export type LogRecord = {
	/** Server-wide, strictly increasing integer as a decimal string: the SSE id and the resume point. */
	id?: string;
	/** 1-based and gapless within its run. */
	seq?: number;
	runId?: string;
	/** ISO 8601 time. */
	timestamp: string;
	level: Level;
	message: string;
	automationId?: string;
	taskId?: string;
	pipelineId?: string;
	artifactId?: string;
	/** stdout / stderr, as the producer said. */
	stream?: string;
	metadata?: Record<string, unknown>;
};

/** A record as the dbtail server stores and sends it: every field the protocol promises is there. */
export type StoredLogRecord = LogRecord & {id: string; seq: number; runId: string};

/** The task or artifact a record belongs to, for a `[label]` in front of its message. */
export function recordLabel(record: LogRecord): string | undefined {
	return record.taskId ?? record.artifactId;
}

export type RunStatus = 'running' | 'succeeded' | 'failed' | 'cancelled';
export type RunResult = Exclude<RunStatus, 'running'>;

export const RUN_RESULTS: readonly RunResult[] = ['succeeded', 'failed', 'cancelled'];

export type Run = {
	runId: string;
	status: RunStatus;
	startedAt: string;
	finishedAt?: string;
	automationId?: string;
	pipelineId?: string;
	name?: string;
};

/** Entity ids: `[A-Za-z0-9._-]{1,128}`, not dots only (`.` and `..` cannot be a path segment of a stream). */
export const ENTITY_ID = /^(?!\.+$)[\w.-]{1,128}$/;
