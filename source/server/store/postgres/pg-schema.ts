import {levelRank} from '../../../protocol/levels.js';

export const WARN_RANK = levelRank('WARN');
export const ERROR_RANK = levelRank('ERROR');

/*
 * The PostgreSQL schema (all of it in the schema `dbtail`, so it can share a database with the platform's
 * own tables), and the three write functions every instance calls.
 *
 * Commit order. A sequence would hand out ids in the order transactions ask, not the order they commit:
 * T1 takes 100, T2 takes 101 and commits first, a reader delivers 101, and a client resumed there never gets
 * 100. So every write first takes one transaction-scoped advisory lock (COMMIT_LOCK), draws its ids from
 * the counters row only then, and holds the lock until it commits (pg_advisory_xact_lock is released at
 * commit, after the transaction became visible). Writers are serialized from the moment they draw an id to
 * their commit, so ids become visible in id order: whatever a snapshot sees is a prefix of the ids. This is
 * what Centrifugo's PostgreSQL broker and Message DB (message_store.acquire_lock) do. The price is one
 * writer at a time per database; a write is one statement (one round trip) so the lock is held only for
 * the insert and the commit. (The other known answer, reading only below pg_snapshot_xmin, lets writers
 * overlap but makes every reader wait for the oldest open transaction, and needs xids on every row.)
 *
 * Drawing ids from a counter row rather than a sequence also keeps them gapless (a rolled-back write
 * rolls its counter back), which retention's exact `purged` counts rely on; run events (a run started or
 * finished) are numbered by the same lock, with the log id they come after, so the feed can put them in
 * place. The notification carries only the new top position: NOTIFY wakes readers, it never carries data.
 * (How a database gets to this schema, and what each version added: pg-migrate.ts.)
 */

/** pg_advisory_*lock(DBTAIL_LOCK, n): 'dbta' as an int4, then what the lock is for. */
const DBTAIL_LOCK = 1_684_108_385;
export const COMMIT_LOCK = `${DBTAIL_LOCK}, 1`;
export const MIGRATE_LOCK = `${DBTAIL_LOCK}, 2`;
export const RETENTION_LOCK = `${DBTAIL_LOCK}, 3`;
export const NOTIFY_CHANNEL = 'dbtail_commits';
// 2: run counters (runs.lines, warnings, errors; run_children), kept by append_logs. An instance of schema 1
// would put back an append_logs that does not keep them, so it must refuse a database of schema 2.
// 3: task reports (run_task_reports, report_task). An instance of schema 2 would answer a run's tasks without
// what producers reported through the others, so behind one balancer the same run would read two ways.
export const SCHEMA_VERSION = 3;

// COLLATE "C" everywhere an id is sorted: byte order, as SQLite sorts, whatever the database's locale.
export const TABLES = `
CREATE SCHEMA IF NOT EXISTS dbtail;
CREATE TABLE IF NOT EXISTS dbtail.meta (key text COLLATE "C" PRIMARY KEY, value text NOT NULL);
CREATE TABLE IF NOT EXISTS dbtail.counters (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	last_log bigint NOT NULL DEFAULT 0,
	last_event bigint NOT NULL DEFAULT 0,
	last_run bigint NOT NULL DEFAULT 0
);
INSERT INTO dbtail.counters DEFAULT VALUES ON CONFLICT DO NOTHING;
CREATE TABLE IF NOT EXISTS dbtail.runs (
	seq_no bigint PRIMARY KEY,
	run_id text COLLATE "C" NOT NULL UNIQUE,
	kind text COLLATE "C" NOT NULL CHECK (kind IN ('automation', 'pipeline')),
	entity_id text COLLATE "C" NOT NULL,
	name text,
	status text NOT NULL,
	started_at text NOT NULL,
	finished_at text,
	last_seq integer NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS runs_by_entity ON dbtail.runs (kind, entity_id, seq_no);
-- What the run logged, kept by append_logs in its transaction: the run list never counts logs.
ALTER TABLE dbtail.runs ADD COLUMN IF NOT EXISTS lines bigint NOT NULL DEFAULT 0;
ALTER TABLE dbtail.runs ADD COLUMN IF NOT EXISTS warnings bigint NOT NULL DEFAULT 0;
ALTER TABLE dbtail.runs ADD COLUMN IF NOT EXISTS errors bigint NOT NULL DEFAULT 0;
-- Each task's (artifact's) share of a run, child_id '' for lines of none.
CREATE TABLE IF NOT EXISTS dbtail.run_children (
	run_id text COLLATE "C" NOT NULL,
	child_id text COLLATE "C" NOT NULL,
	first_id bigint NOT NULL,
	last_id bigint NOT NULL,
	first_ts text COLLATE "C" NOT NULL,
	last_ts text COLLATE "C" NOT NULL,
	lines bigint NOT NULL,
	warnings bigint NOT NULL,
	errors bigint NOT NULL,
	first_error_id bigint,
	PRIMARY KEY (run_id, child_id)
);
-- What producers reported of a run's tasks (schema 3); after_id (the top log id when first reported) and
-- report_no list a task reported before it logged where it was reported.
CREATE TABLE IF NOT EXISTS dbtail.run_task_reports (
	run_id text COLLATE "C" NOT NULL,
	child_id text COLLATE "C" NOT NULL,
	state text NOT NULL,
	started_at text,
	finished_at text,
	after_id bigint NOT NULL,
	report_no integer NOT NULL,
	PRIMARY KEY (run_id, child_id)
);
CREATE TABLE IF NOT EXISTS dbtail.children (
	kind text COLLATE "C" NOT NULL,
	entity_id text COLLATE "C" NOT NULL,
	child_id text COLLATE "C" NOT NULL,
	first_id bigint NOT NULL,
	PRIMARY KEY (kind, entity_id, child_id)
);
CREATE INDEX IF NOT EXISTS children_by_child ON dbtail.children (kind, child_id);
CREATE TABLE IF NOT EXISTS dbtail.logs (
	id bigint PRIMARY KEY,
	run_id text COLLATE "C" NOT NULL,
	seq integer NOT NULL,
	kind text COLLATE "C" NOT NULL,
	entity_id text COLLATE "C" NOT NULL,
	child_id text COLLATE "C",
	ts text COLLATE "C" NOT NULL,
	level smallint NOT NULL,
	message text NOT NULL,
	stream text,
	metadata text
);
CREATE INDEX IF NOT EXISTS logs_by_run ON dbtail.logs (run_id, id);
CREATE INDEX IF NOT EXISTS logs_by_entity ON dbtail.logs (kind, entity_id, id);
CREATE INDEX IF NOT EXISTS logs_by_child ON dbtail.logs (kind, child_id, id) WHERE child_id IS NOT NULL;
-- A run started or finished, numbered in commit order with the writes, after log id at_log.
CREATE TABLE IF NOT EXISTS dbtail.run_events (
	ev_no bigint PRIMARY KEY,
	at_log bigint NOT NULL,
	run_id text COLLATE "C" NOT NULL,
	type text NOT NULL CHECK (type IN ('started', 'finished'))
);
CREATE TABLE IF NOT EXISTS dbtail.purged_scopes (
	kind text COLLATE "C" NOT NULL,
	entity_id text COLLATE "C" NOT NULL,
	child_id text COLLATE "C" NOT NULL,
	run_id text COLLATE "C" NOT NULL,
	first_id bigint NOT NULL,
	last_id bigint NOT NULL,
	count bigint NOT NULL,
	UNIQUE (kind, child_id, entity_id, run_id)
);
CREATE INDEX IF NOT EXISTS purged_by_entity ON dbtail.purged_scopes (kind, entity_id);
CREATE INDEX IF NOT EXISTS purged_by_run ON dbtail.purged_scopes (run_id);
CREATE TABLE IF NOT EXISTS dbtail.idempotency (
	scope text COLLATE "C" NOT NULL,
	key text COLLATE "C" NOT NULL,
	fingerprint text NOT NULL,
	answer text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (scope, key)
);
CREATE INDEX IF NOT EXISTS idempotency_by_age ON dbtail.idempotency (created_at);
`;

/** An earlier answer for the key, if any: `replay` set and nothing written. */
const REPLAY = `
	IF p_key IS NOT NULL THEN
		SELECT i.fingerprint, i.answer INTO r_fingerprint, r_answer FROM dbtail.idempotency i WHERE i.scope = p_scope AND i.key = p_key;
		IF FOUND THEN RETURN NEXT; RETURN; END IF;
	END IF;`;

const REMEMBER = `
	IF p_key IS NOT NULL THEN
		INSERT INTO dbtail.idempotency (scope, key, fingerprint, answer) VALUES (p_scope, p_key, p_fingerprint, r_answer);
	END IF;`;

const IDEMPOTENCY_ARGS = 'p_scope text, p_key text, p_fingerprint text';
const IDEMPOTENCY_OUT = 'r_fingerprint text, r_answer text, r_before_log bigint, r_before_event bigint';

export const FUNCTIONS = `
CREATE OR REPLACE FUNCTION dbtail.append_logs(
	p_run text, p_children text[], p_ts text[], p_levels smallint[], p_messages text[], p_streams text[], p_metadata text[],
	${IDEMPOTENCY_ARGS}
) RETURNS TABLE (${IDEMPOTENCY_OUT}, r_first_seq integer, r_kind text, r_entity text)
LANGUAGE plpgsql AS $$
DECLARE
	n integer := cardinality(p_messages);
	run dbtail.runs%ROWTYPE;
BEGIN
	PERFORM pg_advisory_xact_lock(${COMMIT_LOCK});
	${REPLAY}
	SELECT * INTO run FROM dbtail.runs WHERE run_id = p_run;
	IF NOT FOUND THEN RAISE EXCEPTION 'no run "%"', p_run USING ERRCODE = 'DBT04'; END IF;
	IF run.status <> 'running' THEN
		RAISE EXCEPTION 'run "%" already finished (%): it takes no more lines', p_run, run.status USING ERRCODE = 'DBT09';
	END IF;
	UPDATE dbtail.runs SET last_seq = last_seq + n WHERE run_id = p_run;
	UPDATE dbtail.counters SET last_log = last_log + n RETURNING last_log - n, last_event INTO r_before_log, r_before_event;
	INSERT INTO dbtail.logs (id, run_id, seq, kind, entity_id, child_id, ts, level, message, stream, metadata)
		SELECT r_before_log + u.i, p_run, run.last_seq + u.i, run.kind, run.entity_id, u.c, u.t, u.l, u.m, u.s, u.md
		FROM unnest(p_children, p_ts, p_levels, p_messages, p_streams, p_metadata) WITH ORDINALITY AS u(c, t, l, m, s, md, i);
	INSERT INTO dbtail.children (kind, entity_id, child_id, first_id)
		SELECT run.kind, run.entity_id, u.c, r_before_log + min(u.i)
		FROM unnest(p_children) WITH ORDINALITY AS u(c, i) WHERE u.c IS NOT NULL GROUP BY u.c
		ON CONFLICT DO NOTHING;
	UPDATE dbtail.runs SET
		lines = lines + n,
		warnings = warnings + (SELECT count(*) FROM unnest(p_levels) AS l WHERE l = ${WARN_RANK}),
		errors = errors + (SELECT count(*) FROM unnest(p_levels) AS l WHERE l >= ${ERROR_RANK})
		WHERE run_id = p_run;
	INSERT INTO dbtail.run_children AS c (run_id, child_id, first_id, last_id, first_ts, last_ts, lines, warnings, errors, first_error_id)
		SELECT p_run, coalesce(u.c, ''), r_before_log + min(u.i), r_before_log + max(u.i), min(u.t), max(u.t), count(*),
			count(*) FILTER (WHERE u.l = ${WARN_RANK}), count(*) FILTER (WHERE u.l >= ${ERROR_RANK}),
			r_before_log + min(u.i) FILTER (WHERE u.l >= ${ERROR_RANK})
		FROM unnest(p_children, p_ts, p_levels) WITH ORDINALITY AS u(c, t, l, i) GROUP BY coalesce(u.c, '')
		ON CONFLICT (run_id, child_id) DO UPDATE SET
			last_id = excluded.last_id, first_ts = least(c.first_ts, excluded.first_ts), last_ts = greatest(c.last_ts, excluded.last_ts),
			lines = c.lines + excluded.lines, warnings = c.warnings + excluded.warnings, errors = c.errors + excluded.errors,
			first_error_id = coalesce(c.first_error_id, excluded.first_error_id);
	r_answer := json_build_object('firstId', (r_before_log + 1)::text, 'lastId', (r_before_log + n)::text, 'count', n)::text;
	${REMEMBER}
	PERFORM pg_notify('${NOTIFY_CHANNEL}', (r_before_log + n)::text || ':' || r_before_event::text);
	r_first_seq := run.last_seq + 1;
	r_kind := run.kind;
	r_entity := run.entity_id;
	RETURN NEXT;
END $$;

CREATE OR REPLACE FUNCTION dbtail.create_run(p_kind text, p_entity text, p_name text, p_started_at text, ${IDEMPOTENCY_ARGS})
RETURNS TABLE (${IDEMPOTENCY_OUT}, r_run_id text)
LANGUAGE plpgsql AS $$
DECLARE
	run_no bigint;
	top_log bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(${COMMIT_LOCK});
	${REPLAY}
	UPDATE dbtail.counters SET last_run = last_run + 1, last_event = last_event + 1
		RETURNING last_run, last_log, last_event - 1 INTO run_no, top_log, r_before_event;
	r_before_log := top_log;
	r_run_id := 'r-' || run_no;
	INSERT INTO dbtail.runs (seq_no, run_id, kind, entity_id, name, status, started_at)
		VALUES (run_no, r_run_id, p_kind, p_entity, p_name, 'running', p_started_at);
	INSERT INTO dbtail.run_events (ev_no, at_log, run_id, type) VALUES (r_before_event + 1, top_log, r_run_id, 'started');
	r_answer := json_build_object('runId', r_run_id)::text;
	${REMEMBER}
	PERFORM pg_notify('${NOTIFY_CHANNEL}', top_log::text || ':' || (r_before_event + 1)::text);
	RETURN NEXT;
END $$;

CREATE OR REPLACE FUNCTION dbtail.finish_run(p_run text, p_status text, p_finished_at text, ${IDEMPOTENCY_ARGS})
RETURNS TABLE (${IDEMPOTENCY_OUT})
LANGUAGE plpgsql AS $$
DECLARE
	run dbtail.runs%ROWTYPE;
	top_log bigint;
BEGIN
	PERFORM pg_advisory_xact_lock(${COMMIT_LOCK});
	${REPLAY}
	SELECT * INTO run FROM dbtail.runs WHERE run_id = p_run;
	IF NOT FOUND THEN RAISE EXCEPTION 'no run "%"', p_run USING ERRCODE = 'DBT04'; END IF;
	IF run.status <> 'running' THEN RAISE EXCEPTION 'run "%" already finished (%)', p_run, run.status USING ERRCODE = 'DBT09'; END IF;
	UPDATE dbtail.runs SET status = p_status, finished_at = p_finished_at WHERE run_id = p_run RETURNING * INTO run;
	UPDATE dbtail.counters SET last_event = last_event + 1 RETURNING last_log, last_event - 1 INTO top_log, r_before_event;
	r_before_log := top_log;
	INSERT INTO dbtail.run_events (ev_no, at_log, run_id, type) VALUES (r_before_event + 1, top_log, p_run, 'finished');
	-- The Run as the API shows it, keys in its order: what a replay of this request answers.
	r_answer := json_strip_nulls(json_build_object(
		'runId', run.run_id, 'status', run.status, 'startedAt', run.started_at, 'finishedAt', run.finished_at,
		'automationId', CASE WHEN run.kind = 'automation' THEN run.entity_id END,
		'pipelineId', CASE WHEN run.kind = 'pipeline' THEN run.entity_id END, 'name', NULLIF(run.name, '')))::text;
	${REMEMBER}
	PERFORM pg_notify('${NOTIFY_CHANNEL}', top_log::text || ':' || (r_before_event + 1)::text);
	RETURN NEXT;
END $$;

-- A task's state as its producer reports it: running keeps the first started_at and clears finished_at,
-- another state sets finished_at, the state it already has changes nothing (the WHERE). Under the commit lock,
-- as finish_run is, so it never lands on a run that a finish committed first. It publishes nothing.
CREATE OR REPLACE FUNCTION dbtail.report_task(p_run text, p_child text, p_state text, p_at text, ${IDEMPOTENCY_ARGS})
RETURNS TABLE (${IDEMPOTENCY_OUT})
LANGUAGE plpgsql AS $$
DECLARE
	run dbtail.runs%ROWTYPE;
	report dbtail.run_task_reports%ROWTYPE;
BEGIN
	PERFORM pg_advisory_xact_lock(${COMMIT_LOCK});
	${REPLAY}
	SELECT * INTO run FROM dbtail.runs WHERE run_id = p_run;
	IF NOT FOUND THEN RAISE EXCEPTION 'no run "%"', p_run USING ERRCODE = 'DBT04'; END IF;
	IF run.status <> 'running' THEN
		RAISE EXCEPTION 'run "%" already finished (%): its tasks'' states are final', p_run, run.status USING ERRCODE = 'DBT09';
	END IF;
	INSERT INTO dbtail.run_task_reports AS t (run_id, child_id, state, started_at, finished_at, after_id, report_no)
		VALUES (p_run, p_child, p_state, CASE WHEN p_state = 'running' THEN p_at END, CASE WHEN p_state <> 'running' THEN p_at END,
			(SELECT last_log FROM dbtail.counters), (SELECT count(*) + 1 FROM dbtail.run_task_reports WHERE run_id = p_run))
	ON CONFLICT (run_id, child_id) DO UPDATE SET
		state = excluded.state, started_at = coalesce(t.started_at, excluded.started_at), finished_at = excluded.finished_at
		WHERE t.state <> excluded.state;
	-- A reported task exists as one that logged does (the catalog, its stream), listed as if its first line came next.
	INSERT INTO dbtail.children (kind, entity_id, child_id, first_id)
		VALUES (run.kind, run.entity_id, p_child, (SELECT last_log + 1 FROM dbtail.counters)) ON CONFLICT DO NOTHING;
	SELECT * INTO report FROM dbtail.run_task_reports WHERE run_id = p_run AND child_id = p_child;
	-- The answer as the API shows it (rows.ts, taskReportOf): what a replay of this request answers.
	r_answer := json_strip_nulls(json_build_object(
		CASE WHEN run.kind = 'automation' THEN 'taskId' ELSE 'artifactId' END, p_child, 'state', report.state,
		'startedAt', report.started_at, 'finishedAt', report.finished_at))::text;
	${REMEMBER}
	RETURN NEXT;
END $$;
`;

