import type {Scope} from '../scope.js';

/*
 * The SQL side of a scope: the condition over `logs` that selects what scopeMatches (../scope.ts) accepts
 * for a live record. The two must agree; test/server/store.test.ts checks them against each other.
 */

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

