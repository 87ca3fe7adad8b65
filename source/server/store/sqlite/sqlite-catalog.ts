import type {Catalog} from '../../../protocol/api.js';
import {catalogFromRows, type CatalogRow} from '../catalog-rows.js';
import type {SqliteDb} from './statements.js';

/*
 * `GET /api/catalog` on SQLite: one query, each entity's newest run (runs_by_entity finds it) with its
 * tasks or artifacts (by the children table's key), grouped in one pass. Ordered by kind first, so the
 * order follows runs_by_entity; each kind's list is still by id. Rows come as arrays (better-sqlite3
 * makes row objects slowly): 20,000 automations take 50 to 120 ms on a busy 2-core machine.
 */
const CATALOG = `SELECT r.seq_no, r.run_id, r.kind, r.entity_id, r.name, r.status, r.started_at, r.finished_at, r.last_seq, c.child_id
	FROM runs r LEFT JOIN children c ON c.kind = r.kind AND c.entity_id = r.entity_id
	WHERE r.seq_no IN (SELECT MAX(seq_no) FROM runs GROUP BY kind, entity_id)
	ORDER BY r.kind, r.entity_id, c.first_id`;

/**
 * What the catalog is made of changes only so: runs are added, and finished (finished_at set); children
 * are added. Retention deletes log records, never runs or children. So these counts change whenever the
 * catalog does, and cost a few ms where the catalog costs a hundred.
 */
const VERSION = `SELECT (SELECT COUNT(*) FROM runs) || ':' || (SELECT COALESCE(MAX(seq_no), 0) FROM runs) || ':' ||
	(SELECT COUNT(finished_at) FROM runs) || ':' || (SELECT COUNT(*) FROM children) AS version`;

type CatalogTuple = [number, string, CatalogRow['kind'], string, string | null, CatalogRow['status'], string, string | null, number, string | null];

// The last catalog built per file, while nothing in it changed: four pickers asking at once cost one query.
const built = new WeakMap<SqliteDb, {version: string; catalog: Catalog}>();

export function sqliteCatalog(db: SqliteDb): Catalog {
	const {version} = db.stmt(VERSION).get() as {version: string};
	const last = built.get(db);
	if (last?.version === version) {return last.catalog;}
	const tuples = db.stmt(CATALOG).raw(true).all() as CatalogTuple[];
	const catalog = catalogFromRows(
		tuples.map(([seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq, child_id]) => ({
			seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq, child_id,
		})),
	);
	built.set(db, {version, catalog});
	return catalog;
}
