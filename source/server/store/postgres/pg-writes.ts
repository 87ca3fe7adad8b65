import {levelRank} from '../../../protocol/levels.js';
import type {IngestResult, TaskReport, TaskState} from '../../../protocol/api.js';
import type {Run, RunResult, StoredLogRecord} from '../../../protocol/record.js';
import {replayAnswer} from '../idempotency.js';
import {toRecord, type LogRow} from '../rows.js';
import type {EntityKind, IdempotencyKey, NewLine, Written} from '../types.js';
import type {PgPool} from './pg-pool.js';
import {getRun} from './pg-reads.js';

/*
 * The writes of the PostgreSQL store: each is one call of a function of pg-schema.ts, so one statement,
 * one transaction and one round trip, under the commit-order lock. Each answers with the feed position
 * just before it (`before`): when this instance's reader stands exactly there, it delivers the write at
 * once, without reading it back (pg-feed.ts).
 */

/** The feed position: the last log id and the last run event number. */
export type FeedPosition = {log: number; event: number};

type Answer = {r_fingerprint: string | null; r_answer: string; r_before_log: string | null; r_before_event: string | null};

const idempotencyValues = (idempotency?: IdempotencyKey) => [idempotency?.scope ?? null, idempotency?.key ?? null, idempotency?.fingerprint ?? null];

const positionOf = (row: Answer): FeedPosition => ({log: Number(row.r_before_log), event: Number(row.r_before_event)});

/** The earlier answer when the key was used already (or the refusal when for another request). */
function replayed<T>(row: Answer, idempotency?: IdempotencyKey): T | undefined {
	return row.r_fingerprint === null ? undefined : replayAnswer<T>(idempotency!, {fingerprint: row.r_fingerprint, answer: row.r_answer});
}

export async function createRun(
	db: PgPool,
	kind: EntityKind,
	entityId: string,
	name: string | undefined,
	idempotency?: IdempotencyKey,
): Promise<Written<Run> & {before?: FeedPosition}> {
	const startedAt = new Date().toISOString();
	const {rows: [row]} = await db.query<Answer & {r_run_id: string}>({
		name: 'dbtail_create_run',
		text: 'SELECT * FROM dbtail.create_run($1, $2, $3, $4, $5, $6, $7)',
		values: [kind, entityId, name ?? null, startedAt, ...idempotencyValues(idempotency)],
	});
	const earlier = replayed<{runId: string}>(row!, idempotency);
	if (earlier) {
		return {value: (await getRun(db, earlier.runId))!, replayed: true};
	}

	const run: Run = {runId: row!.r_run_id, status: 'running', startedAt, ...(kind === 'automation' ? {automationId: entityId} : {pipelineId: entityId})};
	if (name) {run.name = name;}
	return {value: run, replayed: false, before: positionOf(row!)};
}

export async function appendLogs(
	db: PgPool,
	runId: string,
	lines: NewLine[],
	idempotency?: IdempotencyKey,
): Promise<Written<IngestResult> & {records: StoredLogRecord[]; before?: FeedPosition}> {
	const metadata = lines.map((line) => (line.metadata === undefined ? null : JSON.stringify(line.metadata)));
	const {rows: [row]} = await db.query<Answer & {r_first_seq: number; r_kind: EntityKind; r_entity: string}>({
		name: 'dbtail_append_logs',
		text: 'SELECT * FROM dbtail.append_logs($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)',
		values: [
			runId,
			lines.map((line) => line.childId ?? null),
			lines.map((line) => line.timestamp),
			lines.map((line) => levelRank(line.level)),
			lines.map((line) => line.message),
			lines.map((line) => line.stream ?? null),
			metadata,
			...idempotencyValues(idempotency),
		],
	});
	const earlier = replayed<IngestResult>(row!, idempotency);
	if (earlier) {return {value: earlier, replayed: true, records: []};}
	const before = positionOf(row!);
	const records = lines.map((line, index) => {
		const stored: LogRow = {
			id: before.log + index + 1,
			run_id: runId,
			seq: row!.r_first_seq + index,
			kind: row!.r_kind,
			entity_id: row!.r_entity,
			child_id: line.childId ?? null,
			ts: line.timestamp,
			level: levelRank(line.level),
			message: line.message,
			stream: line.stream ?? null,
			metadata: metadata[index]!,
		};
		return toRecord(stored);
	});
	return {value: JSON.parse(row!.r_answer) as IngestResult, replayed: false, records, before};
}

export async function finishRun(
	db: PgPool,
	runId: string,
	result: RunResult,
	idempotency?: IdempotencyKey,
): Promise<Written<Run> & {before?: FeedPosition}> {
	const {rows: [row]} = await db.query<Answer>({
		name: 'dbtail_finish_run',
		text: 'SELECT * FROM dbtail.finish_run($1, $2, $3, $4, $5, $6)',
		values: [runId, result, new Date().toISOString(), ...idempotencyValues(idempotency)],
	});
	const earlier = replayed<Run>(row!, idempotency);
	if (earlier) {return {value: earlier, replayed: true};}
	return {value: JSON.parse(row!.r_answer) as Run, replayed: false, before: positionOf(row!)};
}

/** A task's state as its producer reports it (dbtail.report_task); nothing for the feed: reports are read, not streamed. */
export async function reportTask(
	db: PgPool,
	runId: string,
	childId: string,
	state: TaskState,
	at: string,
	idempotency?: IdempotencyKey,
): Promise<Written<TaskReport>> {
	const {rows: [row]} = await db.query<Answer>({
		name: 'dbtail_report_task',
		text: 'SELECT * FROM dbtail.report_task($1, $2, $3, $4, $5, $6, $7)',
		values: [runId, childId, state, at, ...idempotencyValues(idempotency)],
	});
	const earlier = replayed<TaskReport>(row!, idempotency);
	if (earlier) {return {value: earlier, replayed: true};}
	return {value: JSON.parse(row!.r_answer) as TaskReport, replayed: false};
}
