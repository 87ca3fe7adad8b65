import type {Catalog} from '../../../protocol/api.js';
import {catalogFrom, type ChildRow, type RunRow} from '../rows.js';
import type {SqliteDb} from './statements.js';

/** `GET /api/catalog` on SQLite: each entity's newest run and its tasks or artifacts. */
export function sqliteCatalog(db: SqliteDb): Catalog {
	const runs = db.stmt('SELECT * FROM runs WHERE seq_no IN (SELECT MAX(seq_no) FROM runs GROUP BY kind, entity_id) ORDER BY entity_id').all() as RunRow[];
	const children = db.stmt('SELECT * FROM children ORDER BY first_id').all() as ChildRow[];
	return catalogFrom(runs, children);
}
