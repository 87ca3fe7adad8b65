import type {RunTasksAnswer, TaskSummary} from '../protocol/api.js';
import type {RunAccess} from './run-access.js';
import type {ViewerKey} from './viewer-key.js';

export type OverviewLoad = {state: 'loading'} | {state: 'ready'} | {state: 'error'; message: string};

/** Whether every state shown was reported by the producer, derived by the server, or some of each. */
export type StateSources = 'reported' | 'derived' | 'both';

/** Whether a task's state is its producer's word; a server older than reports derives them all. */
export const isReported = (task: TaskSummary) => task.reported === true;

/** How often an open overview of a running run asks the server again: a task that starts appears, one that fails turns red. */
export const OVERVIEW_REFRESH_MS = 3000;

/**
 * `i`: the tasks (artifacts) of a pane's run with their state (as the producer reported it, or derived by the
 * server), first and last time, duration, counts and first ERROR line, from `GET /api/runs/{runId}/tasks`;
 * asked again every few seconds while it is open and the run runs. The choice stays on its task across
 * answers. It draws nothing (ui/run-overview.tsx).
 */
export class RunOverviewState {
	answer: RunTasksAnswer | undefined;
	load: OverviewLoad = {state: 'loading'};
	selected = 0;
	/** Keys typed before the first answer: they act on it once it is there. */
	readonly waiting: ViewerKey[] = [];
	readonly runId: string;
	readonly #access: RunAccess;
	readonly #onChange: () => void;
	readonly #refreshMs: number;
	#timer: NodeJS.Timeout | undefined;
	#closed = false;

	constructor(access: RunAccess, runId: string, onChange: () => void, refreshMs = OVERVIEW_REFRESH_MS) {
		this.#access = access;
		this.runId = runId;
		this.#onChange = onChange;
		this.#refreshMs = refreshMs;
		this.#read();
	}

	get tasks(): TaskSummary[] {
		return this.answer?.tasks ?? [];
	}

	/** Whose word the states shown are: the legend says what `*` means only when some are derived. */
	get stateSources(): StateSources {
		const derived = this.tasks.filter((task) => !isReported(task)).length;
		return derived === 0 ? 'reported' : derived === this.tasks.length ? 'derived' : 'both';
	}

	choice(): TaskSummary | undefined {
		return this.tasks[this.selected];
	}

	move(step: number): void {
		this.selected = Math.max(0, Math.min(this.tasks.length - 1, this.selected + step));
	}

	/** Closed: no more asking. */
	dispose(): void {
		this.#closed = true;
		clearTimeout(this.#timer);
	}

	/** The next answer in a few seconds; the timer alone never keeps the process up (the viewer quitting). */
	#again(): void {
		this.#timer = setTimeout(() => {
			this.#read();
		}, this.#refreshMs);
		this.#timer.unref();
	}

	#read(): void {
		this.#access.tasks(this.runId).then(
			(answer) => {
				if (this.#closed) {
					return;
				}

				const chosen = taskKey(this.choice());
				this.answer = answer;
				const again = answer.tasks.findIndex((task) => taskKey(task) === chosen);
				this.selected = again >= 0 ? again : Math.min(this.selected, Math.max(0, answer.tasks.length - 1));
				this.load = {state: 'ready'};
				this.#onChange();
				if (answer.run.status === 'running') {
					this.#again();
				}
			},
			(error: unknown) => {
				if (this.#closed) {
					return;
				}

				this.load = {state: 'error', message: error instanceof Error ? error.message : String(error)};
				this.#onChange();
				// A running run's overview asks again after a failure (a server restarting); a first failure is final.
				if (this.answer?.run.status === 'running') {
					this.#again();
				}
			},
		);
	}
}

/** `task/extract` or `artifact/orders`: a summary's stream kind and id. */
export function taskKey(task: TaskSummary | undefined): string | undefined {
	if (!task) {
		return undefined;
	}

	return task.taskId === undefined ? `artifact/${task.artifactId ?? ''}` : `task/${task.taskId}`;
}
