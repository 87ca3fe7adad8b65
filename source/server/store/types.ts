import type {Level} from '../../protocol/levels.js';

/** What owns runs: tasks belong to automations, artifacts to pipelines. */
export type EntityKind = 'automation' | 'pipeline';

/** A validated line, ready to store (see ingest/parse-batch.ts). */
export type NewLine = {
	level: Level;
	message: string;
	timestamp: string;
	childId?: string;
	stream?: string;
	metadata?: Record<string, unknown>;
};

export type HistoryQuery = {after?: number; before?: number; level?: Level; fromTime?: string; limit: number};
