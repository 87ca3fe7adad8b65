import type {StreamKind} from '../../protocol/streams.js';
import type {StoredLogRecord} from '../../protocol/record.js';

/** Which records a stream or history request covers: an entity's records, optionally pinned to one run. */
export type Scope = {kind: StreamKind; id?: string; runId?: string};

/** Whether a live record (from the committed feed) belongs to a scope; each store answers the same for its history. */
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
