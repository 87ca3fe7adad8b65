import {Box, Text} from 'ink';
import {listHint} from '../model/key-table.js';
import type {RunOverviewState} from '../model/run-overview-state.js';
import {isReported, taskKey, type StateSources} from '../model/run-overview-state.js';
import type {TaskSummary} from '../protocol/api.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';
import {tint, useTheme} from './theme.js';
import {count, counted} from '../model/count-text.js';

const pad2 = (value: number) => String(value).padStart(2, '0');

function clock(iso: string): string {
	const at = new Date(iso);
	return Number.isNaN(at.getTime()) ? '?' : `${pad2(at.getHours())}:${pad2(at.getMinutes())}:${pad2(at.getSeconds())}`;
}

const taskName = (task: TaskSummary) => sanitizeInline((taskKey(task) ?? '').replace(/^[a-z]+\//, ''));

/** How long it ran; `-` for one that never started: queued, skipped before it ran, or reported done without a line or a start. */
const durationText = (task: TaskSummary) =>
	task.startedAt === undefined && (task.lines === 0 || task.state === 'queued' || task.state === 'skipped') ? '-' : formatDuration(task.durationMs);

/** Its counts, or for a task that only reported its state, that it has not logged. */
const countsText = (task: TaskSummary, widths: TaskWidths) =>
	task.lines === 0
		? [task.state === 'running' ? 'no lines yet' : 'no lines']
		: [`${count(task.lines).padStart(widths.lines)} ${task.lines === 1 ? 'line ' : 'lines'}`, `${count(task.warnings)} WARN`.padStart(widths.warnings + 5), `${count(task.errors)} ERROR`];

/** What the second line says of the states: `*` marks a derived one, and is explained only when one is shown. */
const LEGEND: Record<StateSources, string> = {
	derived: '* state derived from what each logged',
	both: '* state derived, not reported',
	reported: 'states as reported',
};

/** Columns of the rows on screen, so they line up in as few columns as they need (80 keep the first ERROR line). */
type TaskWidths = {id: number; duration: number; lines: number; warnings: number};

function widthsOf(tasks: TaskSummary[]): TaskWidths {
	const widest = (texts: string[]) => Math.max(0, ...texts.map((text) => text.length));
	return {
		id: widest(tasks.map((task) => taskName(task))),
		duration: widest(tasks.map((task) => durationText(task))),
		lines: widest(tasks.map((task) => count(task.lines))),
		warnings: widest(tasks.map((task) => count(task.warnings))),
	};
}

const STATE_COLOR = {failed: 'red', cancelled: 'yellow', queued: 'gray', running: 'cyan', succeeded: 'green', skipped: 'gray'} as const;

/**
 * One task as a row of the tree: its id, state (as reported, or with `*`: derived by the server), first and
 * last time (where the screen is wide enough to keep the first ERROR line too), duration, counts (or that it
 * has not logged), and its first ERROR line.
 */
export function taskRowText(task: TaskSummary, last: boolean, widths: TaskWidths, withTimes: boolean): string {
	const id = taskName(task);
	const error = task.firstError ? `  ${task.firstError.message === undefined ? '(its first ERROR line is no longer stored)' : sanitizeInline(task.firstError.message)}` : '';
	return [
		`${last ? '└─' : '├─'} ${id.padEnd(widths.id)}`,
		`${task.state}${isReported(task) ? '' : '*'}`.padEnd(10),
		...(withTimes ? [`${clock(task.firstAt)}–${clock(task.lastAt)}`] : []),
		durationText(task).padStart(widths.duration),
		...countsText(task, widths),
	].join(' ') + error;
}

/**
 * `i`: the focused pane's run as a tree of its tasks (artifacts), live while the run runs. It only draws:
 * keys go to the RunOverviewState.
 */
export function RunOverview({state, width, height}: {state: RunOverviewState; width: number; height: number}) {
	const theme = useTheme();
	const {answer, load} = state;
	const run = answer?.run;
	const owner = run?.automationId ? `automation/${run.automationId}` : run?.pipelineId ? `pipeline/${run.pipelineId}` : undefined;
	const how = run ? (run.status === 'running' ? `running for ${formatDuration(run.durationMs)}` : `${run.status} in ${formatDuration(run.durationMs)}`) : '';
	const head = `Run ${sanitizeInline(state.runId)}${owner ? ` of ${sanitizeInline(owner)}` : ''}${run ? ` · ${how}` : ''}`;
	let second: string;
	if (load.state === 'error') {
		second = sanitizeInline(load.message);
	} else if (load.state === 'loading') {
		second = "reading the run's tasks…";
	} else if (state.tasks.length === 0) {
		second = 'no task or artifact has logged in this run';
	} else {
		const counts = run ? `${counted(run.lines, 'line')}, ${count(run.warnings)} WARN, ${count(run.errors)} ERROR · ` : '';
		second = `${counts}${LEGEND[state.stateSources]}${run?.status === 'running' ? ' · kept up to date while the run runs' : ''}`;
	}

	// The run's line, the line under it, then the tree.
	const rows = Math.max(0, height - 2);
	const first = Math.max(0, state.selected - rows + 1);
	const tasks = state.tasks.slice(first, first + rows);
	const widths = widthsOf(tasks);
	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				{head} <Text dimColor>({listHint(['choose-new', 'grep'])})</Text>
			</Text>
			{height > 1 ? (
				<Text color={load.state === 'error' ? tint(theme, 'red') : undefined} dimColor={load.state !== 'error'} wrap="truncate-end">
					{second}
				</Text>
			) : null}
			{tasks.map((task, index) => {
				const chosen = first + index === state.selected;
				return (
					<Text key={taskKey(task)} inverse={chosen} color={tint(theme, STATE_COLOR[task.state])} wrap="truncate-end">
						{chosen ? '▶' : ' '}
						{taskRowText(task, first + index === state.tasks.length - 1, widths, width >= 110)}
					</Text>
				);
			})}
		</Box>
	);
}
