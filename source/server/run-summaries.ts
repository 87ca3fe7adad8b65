import type {RunSummary, TaskSummary, TaskSummaryState} from '../protocol/api.js';
import type {Run} from '../protocol/record.js';
import type {ChildCounts, CountedRun, StoredTaskReport} from './store/types.js';

/*
 * The run list's and a run's task summary's answers from the store's counters and its task reports. A task's
 * state is the one its producer reported; where it reported none (or still says `running` of a run that has
 * ended), it is derived from the run's status and what the tasks logged (docs/protocol.md, Runs and tasks).
 */

const elapsed = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/** `durationMs` to the run's end, or for a running run to `now`. */
export function summarizeRun({run, counts}: CountedRun, now: Date): RunSummary {
	return {...run, durationMs: elapsed(run.startedAt, run.finishedAt ?? now.toISOString()), ...counts};
}

/** A task as the summary sees it: what it logged (none when it only reported) and what it reported. */
type Task = {childId: string; counts?: ChildCounts; report?: StoredTaskReport; place: number; tie: number; lastHeard: number};

/**
 * Both lists as one, in the order the tasks were first heard of: a logged task at its first line's id, a
 * reported one just after the log id that was the newest when it was first reported (then in report order).
 */
function tasksOf(children: ChildCounts[], reports: StoredTaskReport[]): Task[] {
	const tasks = new Map<string, Task>();
	for (const counts of children) {
		tasks.set(counts.childId, {childId: counts.childId, counts, place: counts.firstId, tie: 0, lastHeard: counts.lastId});
	}

	for (const report of reports) {
		const place = report.afterId + 0.5;
		const task = tasks.get(report.childId);
		if (!task) {
			tasks.set(report.childId, {childId: report.childId, report, place, tie: report.reportNo, lastHeard: place});
		} else {
			task.report = report;
			task.lastHeard = Math.max(task.lastHeard, place);
			if (place < task.place) {Object.assign(task, {place, tie: report.reportNo});}
		}
	}

	// The store lists children by their first line already; only reports can change that order.
	return reports.length === 0 ? [...tasks.values()] : [...tasks.values()].sort((a, b) => a.place - b.place || a.tie - b.tie);
}

/** Whether the producer's report is the task's state: any report while the run runs, a result once it ended. */
const standsReported = (run: Run, task: Task) => task.report !== undefined && (run.status === 'running' || task.report.state !== 'running');

/**
 * The state of each task whose report does not stand, from the run's status and what the tasks logged. In a
 * run whose producer reports tasks' starts, a task it never reported, named after the first task it reported
 * started (by a plan line) and silent since that report, never started: `queued` while the run runs,
 * `skipped` once it ended. Any other such task runs while the run runs. When the run failed: each that logged an ERROR failed; if none did and no task
 * failed (reported or so), the one heard from last (its last line, or its report) was running when the run
 * failed. Cancelled likewise. Every other one succeeded.
 */
function derive(run: Run, tasks: Task[]): Map<Task, TaskSummaryState> {
	const states = new Map<Task, TaskSummaryState>();
	// The task the producer first reported started, if it reports starts: the tasks named after it wait their turn.
	const first = tasks.filter((task) => task.report?.startedAt !== undefined).sort((a, b) => a.report!.afterId - b.report!.afterId)[0];
	const notStarted = (task: Task) => first !== undefined && !task.report && task.place > first.place && task.counts!.lastId <= first.report!.afterId;
	const derived: Task[] = [];
	for (const task of tasks.filter((each) => !standsReported(run, each))) {
		if (notStarted(task)) {
			states.set(task, run.status === 'running' ? 'queued' : 'skipped');
		} else {
			derived.push(task);
		}
	}

	const lastHeard = derived.reduce<Task | undefined>((last, task) => (last && last.lastHeard > task.lastHeard ? last : task), undefined);
	const ended = (state: 'failed' | 'cancelled') => tasks.some((task) => standsReported(run, task) && task.report!.state === state);
	const anyError = derived.some((task) => (task.counts?.errors ?? 0) > 0);
	for (const task of derived) {
		switch (run.status) {
			case 'running': {
				states.set(task, 'running');
				break;
			}

			case 'failed': {
				const failed = anyError ? (task.counts?.errors ?? 0) > 0 : !ended('failed') && task === lastHeard;
				states.set(task, failed ? 'failed' : 'succeeded');
				break;
			}

			case 'cancelled': {
				states.set(task, !ended('cancelled') && task === lastHeard ? 'cancelled' : 'succeeded');
				break;
			}

			default: {
				states.set(task, 'succeeded');
			}
		}
	}

	return states;
}

/**
 * Each task (artifact) of a run: its state and whether it was reported, its reported times, what it logged.
 * A task that only reported shows its reported times as `firstAt` and `lastAt`, with no lines. Its duration
 * runs from its start (reported, else its first line) to its end (reported; else now while it reportedly
 * runs; else its last line); one skipped before it was reported running has none.
 */
export function summarizeTasks(run: Run, children: ChildCounts[], reports: StoredTaskReport[] = [], now = new Date()): TaskSummary[] {
	const key = run.pipelineId === undefined ? 'taskId' : 'artifactId';
	const tasks = tasksOf(children, reports);
	const derived = derive(run, tasks);
	return tasks.map((task) => {
		const {counts, report} = task;
		const reported = !derived.has(task);
		const state = derived.get(task) ?? report!.state;
		const reportedAt = report?.startedAt ?? report?.finishedAt ?? now.toISOString();
		const firstAt = counts?.firstAt ?? reportedAt;
		const lastAt = counts?.lastAt ?? report?.finishedAt ?? reportedAt;
		const end = report?.finishedAt ?? (reported && state === 'running' ? now.toISOString() : lastAt);
		// A task skipped before it started, or still queued, never ran, whatever it logged while it waited.
		const ran = state !== 'queued' && !(state === 'skipped' && report?.startedAt === undefined);
		return {
			[key]: task.childId,
			state,
			reported,
			...(report?.startedAt === undefined ? {} : {startedAt: report.startedAt}),
			...(report?.finishedAt === undefined ? {} : {finishedAt: report.finishedAt}),
			firstAt,
			lastAt,
			durationMs: ran ? elapsed(report?.startedAt ?? firstAt, end) : 0,
			lines: counts?.lines ?? 0,
			warnings: counts?.warnings ?? 0,
			errors: counts?.errors ?? 0,
			firstError: !counts || counts.firstErrorId === null
				? null
				: {id: String(counts.firstErrorId), ...(counts.firstErrorMessage === undefined ? {} : {message: counts.firstErrorMessage})},
		};
	});
}
