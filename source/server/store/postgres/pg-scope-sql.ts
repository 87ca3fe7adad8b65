import type {Scope} from '../scope.js';

/*
 * The PostgreSQL side of a scope: the same condition as sqlite/scope-sql.ts, with numbered parameters. The
 * store contract tests (test/server/store-contract.test.ts) check both against the live scopeMatches.
 */

/** Appends the scope's parameters to `params` and returns its condition over `dbtail.logs` (or purged_scopes). */
export function pgScopeWhere(scope: Scope, params: unknown[]): string {
	const parts: string[] = [];
	const add = (value: unknown) => {
		params.push(value);
		return `$${params.length}`;
	};

	// With a run, its index (run_id, id) is the one to read. On a table without statistics yet (freshly filled,
	// or growing faster than autovacuum analyzes it) PostgreSQL took the entity's and read all of the entity's
	// records to find the run's (97 ms against 0.09 ms at 500,000); `|| ''` leaves the condition as it was but
	// no index can serve it (as `+column` does in SQLite).
	const column = (name: string) => (scope.runId === undefined ? name : `(${name} || '')`);
	switch (scope.kind) {
		case 'automation':
		case 'pipeline': {
			parts.push(`${column('kind')} = ${add(scope.kind)} AND ${column('entity_id')} = ${add(scope.id)}`);
			break;
		}

		case 'task':
		case 'artifact': {
			parts.push(`${column('kind')} = ${add(scope.kind === 'task' ? 'automation' : 'pipeline')} AND ${column('child_id')} = ${add(scope.id)}`);
			break;
		}

		case 'all': {
			break;
		}
	}

	if (scope.runId !== undefined) {parts.push(`run_id = ${add(scope.runId)}`);}
	return parts.length > 0 ? parts.join(' AND ') : 'true';
}
