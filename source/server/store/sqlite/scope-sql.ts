import type {Scope} from '../scope.js';

/*
 * The SQL side of a scope: the condition over `logs` that selects what scopeMatches (../scope.ts) accepts
 * for a live record. The two must agree; test/server/store.test.ts checks them against each other.
 */

/** The SQL condition (over `logs`) and its parameters for a scope. */
export function scopeWhere(scope: Scope): {sql: string; params: unknown[]} {
	const parts: string[] = [];
	const params: unknown[] = [];
	// With a run, its index (run_id, id) is the one to read: `+` keeps SQLite off the entity's or task's, which it
	// otherwise prefers for their id order, scanning the entity from its first record to reach an older run
	// (a run's first page took 26 ms per 200,000 records of the entity before it).
	const column = (name: string) => (scope.runId === undefined ? name : `+${name}`);
	switch (scope.kind) {
		case 'automation':
		case 'pipeline': {
			parts.push(`${column('kind')} = ? AND ${column('entity_id')} = ?`);
			params.push(scope.kind, scope.id);
			break;
		}

		case 'task':
		case 'artifact': {
			parts.push(`${column('kind')} = ? AND ${column('child_id')} = ?`);
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

