import type {Run, StoredLogRecord} from './record.js';

/** `GET /api/catalog`: what can be followed, each with its current run. */
export type Catalog = {
	automations: Array<{id: string; tasks: string[]; currentRun: Run | null}>;
	pipelines: Array<{id: string; artifacts: string[]; currentRun: Run | null}>;
};

/**
 * A history endpoint's answer: records ascending by id; `next` is where more lie beyond the page (pass it as
 * `after` when `order` is `asc`, as `before` when `desc`), null when none do; `order` is the direction the
 * page was cut in (absent from servers older than the parameter, which a client that sent it must refuse).
 */
export type HistoryAnswer = {logs: StoredLogRecord[]; next: string | null; order?: 'asc' | 'desc'};

/** `POST /api/runs` answer. */
export type CreatedRun = {runId: string};

/** `POST /api/runs/{runId}/logs` answer. */
export type IngestResult = {firstId: string; lastId: string; count: number};

/** `GET /api/stream/status`. */
export type StreamStatus = {connections: number; streams: Array<{stream: string; connections: number}>};

/**
 * A run with what it logged (`GET /api/automations/{id}/runs`, `/api/pipeline/{id}/runs`): counters kept at
 * ingest, so they count every line stored, retention notwithstanding. `durationMs` runs to `finishedAt`, or
 * for a running run to the moment of the answer. `warnings` counts WARN lines, `errors` ERROR and FATAL.
 */
export type RunSummary = Run & {
	durationMs: number;
	lines: number;
	warnings: number;
	errors: number;
	/** With `grep=`: how many of the run's lines match; `complete` false when the count stopped at its budget (a lower bound). */
	matches?: {count: number; complete: boolean};
};

/** `GET .../runs`: newest first; `next` is the last run's id to pass as `before` for older ones, null when none. */
export type RunsAnswer = {runs: RunSummary[]; next: string | null};

/**
 * A task's (artifact's) state in a run: as its producer reported it (`PUT /api/runs/{runId}/tasks/{taskId}`),
 * or, where it reported none, derived from what it logged and the run's status (docs/protocol.md, Runs and
 * tasks). `skipped` is a task that was never run: reported, or derived for one that never started (TaskSummaryState).
 */
export type TaskState = 'running' | 'succeeded' | 'failed' | 'cancelled' | 'skipped';

/** The states a producer may report, in the order a task goes through them. */
export const TASK_STATES: readonly TaskState[] = ['running', 'succeeded', 'failed', 'cancelled', 'skipped'];

/**
 * A task's state in a run's summary: a reportable one, or `queued`, which is only ever derived: a task the
 * producer named (a plan line logged for it) but has not reported started, in a run whose producer reports.
 */
export type TaskSummaryState = TaskState | 'queued';

/**
 * `PUT /api/runs/{runId}/tasks/{taskId}` (`/artifacts/{artifactId}`) answer: the task's report as stored.
 * `startedAt` is when it was first reported `running`, `finishedAt` when it was reported finished (absent
 * while it runs again after a retry).
 */
export type TaskReport = {
	taskId?: string;
	artifactId?: string;
	state: TaskState;
	startedAt?: string;
	finishedAt?: string;
};

/** One task or artifact of a run (`GET /api/runs/{runId}/tasks`): exactly one of `taskId` and `artifactId`. */
export type TaskSummary = {
	taskId?: string;
	artifactId?: string;
	state: TaskSummaryState;
	/**
	 * Whether `state` is the producer's report (true) or derived by the server (false). Absent from servers
	 * older than reports, whose states are all derived.
	 */
	reported?: boolean;
	/** As reported (TaskReport), where the producer reported them: also when `state` is derived. */
	startedAt?: string;
	finishedAt?: string;
	/** Its first and last line's `timestamp`; for a task that has not logged, its reported times. */
	firstAt: string;
	lastAt: string;
	durationMs: number;
	lines: number;
	warnings: number;
	errors: number;
	/** Its first ERROR or FATAL line; `message` absent when retention has deleted the line since. */
	firstError: {id: string; message?: string} | null;
};

/** `GET /api/runs/{runId}/tasks`: the run, and its tasks or artifacts in the order they first logged or were reported. */
export type RunTasksAnswer = {run: RunSummary; tasks: TaskSummary[]};
