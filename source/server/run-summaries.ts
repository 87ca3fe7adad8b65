import type {RunSummary, TaskState, TaskSummary} from '../protocol/api.js';
import type {Run} from '../protocol/record.js';
import type {ChildCounts, CountedRun} from './store/types.js';

/*
 * The run list's and a run's task summary's answers from the store's counters. A task's state is derived
 * (producers do not report it): from the run's status and what each task logged (protocol/api.ts, TaskState).
 */

const elapsed = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

/** `durationMs` to the run's end, or for a running run to `now`. */
export function summarizeRun({run, counts}: CountedRun, now: Date): RunSummary {
	return {...run, durationMs: elapsed(run.startedAt, run.finishedAt ?? now.toISOString()), ...counts};
}

export function summarizeTasks(run: Run, children: ChildCounts[]): TaskSummary[] {
	const key = run.pipelineId === undefined ? 'taskId' : 'artifactId';
	const anyError = children.some((child) => child.errors > 0);
	const lastToLog = children.reduce<ChildCounts | undefined>((last, child) => (last && last.lastId > child.lastId ? last : child), undefined);
	const stateOf = (child: ChildCounts): TaskState => {
		switch (run.status) {
			case 'running': {
				return 'running';
			}

			case 'failed': {
				// The tasks that logged an ERROR failed; if none did, the one that was logging when the run ended.
				return (anyError ? child.errors > 0 : child === lastToLog) ? 'failed' : 'succeeded';
			}

			case 'cancelled': {
				return child === lastToLog ? 'cancelled' : 'succeeded';
			}

			default: {
				return 'succeeded';
			}
		}
	};

	return children.map((child) => ({
		[key]: child.childId,
		state: stateOf(child),
		firstAt: child.firstAt,
		lastAt: child.lastAt,
		durationMs: elapsed(child.firstAt, child.lastAt),
		lines: child.lines,
		warnings: child.warnings,
		errors: child.errors,
		firstError:
			child.firstErrorId === null
				? null
				: {id: String(child.firstErrorId), ...(child.firstErrorMessage === undefined ? {} : {message: child.firstErrorMessage})},
	}));
}
