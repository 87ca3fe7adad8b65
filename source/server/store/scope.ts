import {ENTITY_ID} from '../../protocol/record.js';
import type {StreamKind} from '../../protocol/streams.js';
import type {StoredLogRecord} from '../../protocol/record.js';

/** Which records a stream or history request covers: an entity's records, optionally pinned to one run. */
export type Scope = {kind: StreamKind; id?: string; runId?: string};

/** The SQL condition (over `logs`) and its parameters for a scope. */
export function scopeWhere(scope: Scope): {sql: string; params: unknown[]} {
	const parts: string[] = [];
	const params: unknown[] = [];
	switch (scope.kind) {
		case 'automation':
		case 'pipeline': {
			parts.push('kind = ? AND entity_id = ?');
			params.push(scope.kind, scope.id);
			break;
		}

		case 'task':
		case 'artifact': {
			parts.push('kind = ? AND child_id = ?');
			params.push(scope.kind === 'task' ? 'automation' : 'pipeline', scope.id);
			break;
		}

		case 'all': {
			break;
		}
	}

	if (scope.runId !== undefined) {
		parts.push('run_id = ?');
		params.push(scope.runId);
	}

	return {sql: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params};
}

/** The same test as scopeWhere, for live records coming from the broker. */
export function scopeMatches(scope: Scope, record: StoredLogRecord): boolean {
	if (scope.runId !== undefined && record.runId !== scope.runId) {
		return false;
	}

	switch (scope.kind) {
		case 'automation': {
			return record.automationId === scope.id;
		}

		case 'pipeline': {
			return record.pipelineId === scope.id;
		}

		case 'task': {
			return record.automationId !== undefined && record.taskId === scope.id;
		}

		case 'artifact': {
			return record.pipelineId !== undefined && record.artifactId === scope.id;
		}

		case 'all': {
			return true;
		}
	}
}

export function isEntityId(value: string): boolean {
	return ENTITY_ID.test(value);
}
