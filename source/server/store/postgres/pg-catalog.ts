import type {Catalog} from '../../../protocol/api.js';
import {catalogFromRows} from '../catalog-rows.js';
import type {PgPool} from './pg-pool.js';
import {runRowOf} from './pg-reads.js';

/*
 * `GET /api/catalog` on PostgreSQL: one statement, so one snapshot: each entity's newest run (DISTINCT ON
 * over runs_by_entity) with its tasks or artifacts (by the children table's key), grouped in one pass.
 */
const CATALOG = `SELECT n.*, c.child_id FROM (
		SELECT DISTINCT ON (kind, entity_id) seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq
		FROM dbtail.runs ORDER BY kind, entity_id, seq_no DESC
	) n LEFT JOIN dbtail.children c ON c.kind = n.kind AND c.entity_id = n.entity_id
	ORDER BY n.kind, n.entity_id, c.first_id`;

export async function pgCatalog(db: PgPool): Promise<Catalog> {
	const result = await db.query({name: 'dbtail_catalog', text: CATALOG});
	return catalogFromRows(result.rows.map((row) => ({...runRowOf(row), child_id: row.child_id as string | null})));
}
