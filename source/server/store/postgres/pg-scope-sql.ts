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

	switch (scope.kind) {
		case 'automation':
		case 'pipeline': {
			parts.push(`kind = ${add(scope.kind)} AND entity_id = ${add(scope.id)}`);
			break;
		}

		case 'task':
		case 'artifact': {
			parts.push(`kind = ${add(scope.kind === 'task' ? 'automation' : 'pipeline')} AND child_id = ${add(scope.id)}`);
			break;
		}

		case 'all': {
			break;
		}
	}

	if (scope.runId !== undefined) {parts.push(`run_id = ${add(scope.runId)}`);}
	return parts.length > 0 ? parts.join(' AND ') : 'true';
}
