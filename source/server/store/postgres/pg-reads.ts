import {createHash} from 'node:crypto';
import {levelRank, type Level} from '../../../protocol/levels.js';
import type {Run} from '../../../protocol/record.js';
import {historyConditions, logRowFrom, RECORD_OVERHEAD_BYTES, toRecord, toRun, type LogTuple, type RunRow} from '../rows.js';
import type {Scope} from '../scope.js';
import type {EntityKind, HistoryPage, HistoryQuery} from '../types.js';
import type {PgPool} from './pg-pool.js';
import {pgScopeWhere} from './pg-scope-sql.js';

/*
 * The reads of the PostgreSQL store. Each is one statement, so it answers as of one snapshot, and with
 * the commit-order lock (pg-schema.ts) a snapshot holds a prefix of the ids. Statements are prepared once
 * per connection, named by their text.
 */

export const PG_LOG_COLUMNS = 'id, run_id, seq, kind, entity_id, child_id, ts, level, message, stream, metadata';
const RUN_COLUMNS = 'seq_no, run_id, kind, entity_id, name, status, started_at, finished_at, last_seq';

export const named = (text: string) => `dbtail_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;

/** A bigint arrives as text; ids stay below 2^53 (15 digits, as the API reads them). */
export function logTupleOf(row: unknown[]): LogTuple {
	row[0] = Number(row[0]);
	return row as LogTuple;
}

export function runRowOf(row: Record<string, unknown>): RunRow {
	return {...(row as RunRow), seq_no: Number(row.seq_no)};
}

async function runRows(db: PgPool, text: string, values: unknown[]): Promise<RunRow[]> {
	const result = await db.query({name: named(text), text, values});
	return result.rows.map((row) => runRowOf(row));
}

async function oneRun(db: PgPool, text: string, values: unknown[]): Promise<Run | undefined> {
	const [row] = await runRows(db, text, values);
	return row ? toRun(row) : undefined;
}

export async function getRun(db: PgPool, runId: string): Promise<Run | undefined> {
	return oneRun(db, `SELECT ${RUN_COLUMNS} FROM dbtail.runs WHERE run_id = $1`, [runId]);
}

export async function currentRun(db: PgPool, kind: EntityKind, entityId: string): Promise<Run | undefined> {
	return oneRun(db, `SELECT ${RUN_COLUMNS} FROM dbtail.runs WHERE kind = $1 AND entity_id = $2 ORDER BY seq_no DESC LIMIT 1`, [kind, entityId]);
}

export async function currentRunOfChild(db: PgPool, kind: EntityKind, childId: string): Promise<Run | undefined> {
	return oneRun(
		db,
		`SELECT ${RUN_COLUMNS.split(', ').map((column) => `r.${column}`).join(', ')} FROM dbtail.runs r
		JOIN dbtail.children c ON c.kind = r.kind AND c.entity_id = r.entity_id WHERE c.kind = $1 AND c.child_id = $2 ORDER BY r.seq_no DESC LIMIT 1`,
		[kind, childId],
	);
}

export async function owners(db: PgPool, kind: EntityKind, childId: string): Promise<string[]> {
	const text = 'SELECT entity_id FROM dbtail.children WHERE kind = $1 AND child_id = $2';
	const result = await db.query<{entity_id: string}>({name: named(text), text, values: [kind, childId]});
	return result.rows.map((row) => row.entity_id);
}

export async function history(db: PgPool, scope: Scope, query: HistoryQuery): Promise<HistoryPage> {
	const params: unknown[] = [];
	const parts = [pgScopeWhere(scope, params)];
	for (const [condition, value] of historyConditions(query)) {
		params.push(value);
		parts.push(`${condition} $${params.length}`);
	}

	params.push(query.limit);
	const direction = query.order === 'desc' ? 'DESC' : 'ASC';
	const range = `FROM dbtail.logs WHERE ${parts.join(' AND ')} ORDER BY id ${direction} LIMIT $${params.length}`;
	if (query.maxBytes === undefined) {
		// The counters row and the page in one statement: the top is as of the same snapshot as the records.
		const text = `WITH page AS (SELECT ${PG_LOG_COLUMNS} ${range}) SELECT c.last_log, page.* FROM dbtail.counters c LEFT JOIN page ON true ORDER BY page.id`;
		return historyPage(await db.rows<unknown[]>(named(text), text, params), false);
	}

	// Sized in bytes too: a running sum over the page's rows in the order they are read (octet_length reads
	// a TOASTed value's size without fetching it). A row is kept when it ends within the budget, the first row
	// always; the first row not kept comes back without its text (CASE never fetches it), saying the page was cut.
	params.push(query.maxBytes);
	const max = `$${params.length}`;
	const sized = `SELECT *, sum(size) OVER w AS upto, row_number() OVER w AS n
		FROM (SELECT ${PG_LOG_COLUMNS}, octet_length(message) + coalesce(octet_length(metadata), 0) + ${RECORD_OVERHEAD_BYTES} AS size ${range}) rows
		WINDOW w AS (ORDER BY id ${direction} ROWS UNBOUNDED PRECEDING)`;
	const kept = `(page.upto <= ${max} OR page.n = 1)`;
	const columns = PG_LOG_COLUMNS.split(', ').map((column) => (column === 'message' || column === 'metadata' ? `CASE WHEN ${kept} THEN page.${column} END` : `page.${column}`));
	const text = `WITH page AS (${sized}) SELECT c.last_log, ${columns.join(', ')}, ${kept} AS kept
		FROM dbtail.counters c LEFT JOIN page ON page.upto - page.size <= ${max} OR page.n <= 2 ORDER BY page.id`;
	return historyPage(await db.rows<unknown[]>(named(text), text, params), true);
}

/** Rows of [last_log, ...log columns(, kept)] as a page: a row not kept is the one past the byte budget. */
function historyPage(rows: unknown[][], sized: boolean): HistoryPage {
	const top = Number(rows[0]?.[0] ?? 0);
	const found = rows.filter((row) => row[1] !== null);
	const records = found.filter((row) => !sized || row.at(-1) === true).map((row) => toRecord(logRowFrom(logTupleOf(row.slice(1, 12)))));
	return records.length < found.length ? {records, top, cut: true} : {records, top};
}

export async function idBeforeLast(db: PgPool, scope: Scope, count: number, level?: Level): Promise<number> {
	const params: unknown[] = [];
	let where = pgScopeWhere(scope, params);
	if (level !== undefined) {
		params.push(levelRank(level));
		where += ` AND level >= $${params.length}`;
	}

	params.push(count - 1);
	const text = `SELECT id FROM dbtail.logs WHERE ${where} ORDER BY id DESC LIMIT 1 OFFSET $${params.length}`;
	const result = await db.query<{id: string}>({name: named(text), text, values: params});
	return result.rows[0] ? Number(result.rows[0].id) - 1 : 0;
}

export async function runAt(db: PgPool, scope: Scope, id: number): Promise<string | undefined> {
	const params: unknown[] = [];
	const where = pgScopeWhere(scope, params);
	params.push(id);
	const text = `SELECT run_id FROM dbtail.logs WHERE ${where} AND id <= $${params.length} ORDER BY id DESC LIMIT 1`;
	const result = await db.query<{run_id: string}>({name: named(text), text, values: params});
	return result.rows[0]?.run_id;
}

export async function top(db: PgPool): Promise<number> {
	const text = 'SELECT last_log FROM dbtail.counters';
	const result = await db.query<{last_log: string}>({name: named(text), text});
	return Number(result.rows[0]?.last_log ?? 0);
}
