import type {Catalog} from '../../protocol/api.js';
import {toRun, type RunRow} from './rows.js';

/**
 * A row of the catalog query both stores run: an entity's newest run joined with one of its tasks or
 * artifacts (`child_id` null when it has none), ordered by entity and then by the child's first record.
 */
export type CatalogRow = RunRow & {child_id: string | null};

/**
 * The catalog from the grouped query's rows, in one pass: rows of one entity are adjacent. (Filtering
 * every child once per entity took 3.3 s a call with 20,000 automations.)
 */
export function catalogFromRows(rows: CatalogRow[]): Catalog {
	const catalog: Catalog = {automations: [], pipelines: []};
	let children: string[] = [];
	let last: CatalogRow | undefined;
	for (const row of rows) {
		if (last?.kind !== row.kind || last.entity_id !== row.entity_id) {
			children = [];
			if (row.kind === 'automation') {
				catalog.automations.push({id: row.entity_id, tasks: children, currentRun: toRun(row)});
			} else {
				catalog.pipelines.push({id: row.entity_id, artifacts: children, currentRun: toRun(row)});
			}

			last = row;
		}

		if (row.child_id !== null) {children.push(row.child_id);}
	}

	return catalog;
}
