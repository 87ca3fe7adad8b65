import {createHash} from 'node:crypto';
import type {Catalog} from '../../../protocol/api.js';
import {catalogFrom, type ChildRow} from '../rows.js';
import type {PgPool} from './pg-pool.js';
import {runRowOf} from './pg-reads.js';

const RUN_COLUMNS = 'seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq';
const named = (text: string) => `dbtail_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;

/** `GET /api/catalog` on PostgreSQL: each entity's newest run and its tasks or artifacts. */
export async function pgCatalog(db: PgPool): Promise<Catalog> {
	const text = `SELECT * FROM (SELECT DISTINCT ON (kind, entity_id) ${RUN_COLUMNS} FROM dbtail.runs ORDER BY kind, entity_id, seq_no DESC) newest ORDER BY entity_id`;
	const runs = (await db.query({name: named(text), text})).rows.map((row) => runRowOf(row));
	const childText = 'SELECT kind, entity_id, child_id FROM dbtail.children ORDER BY first_id';
	const children = (await db.query<ChildRow>({name: named(childText), text: childText})).rows;
	return catalogFrom(runs, children);
}
