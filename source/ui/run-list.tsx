import {Box, Text} from 'ink';
import type {ReactNode} from 'react';
import {listHint} from '../model/key-table.js';
import type {RunListState} from '../model/run-list-state.js';
import type {RunSummary} from '../protocol/api.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {formatDuration} from '../protocol/time.js';
import {tint, useTheme} from './theme.js';
import {count, counted} from '../model/count-text.js';

const pad2 = (value: number) => String(value).padStart(2, '0');

/** `11-22 10:28`: when a run started, local time (the year only when it is not this one). */
export function startedText(iso: string, now = new Date()): string {
	const at = new Date(iso);
	if (Number.isNaN(at.getTime())) {
		return '?';
	}

	const day = `${pad2(at.getMonth() + 1)}-${pad2(at.getDate())}`;
	return `${at.getFullYear() === now.getFullYear() ? '' : `${at.getFullYear()}-`}${day} ${pad2(at.getHours())}:${pad2(at.getMinutes())}`;
}

/** `3 matches` (`≥3 matches` where the server stopped counting), or nothing without marks. */
export function matchesText(run: RunSummary): string {
	if (!run.matches) {
		return '';
	}

	const {count: found, complete} = run.matches;
	return `${complete ? '' : '≥'}${count(found)} ${found === 1 ? 'match' : 'matches'}`;
}

/**
 * One run as a row, what tells runs apart first so a narrow list cuts the least of it: id, result, matches,
 * duration, start, then the counts. Columns line up across the rows on screen.
 */
export function runRowText(run: RunSummary, widths: {id: number; matches: number}): string {
	const parts = [
		sanitizeInline(run.runId).padEnd(widths.id),
		sanitizeInline(run.status).padEnd(9),
		...(widths.matches > 0 ? [matchesText(run).padEnd(widths.matches)] : []),
		formatDuration(run.durationMs).padStart(6),
		startedText(run.startedAt),
		`${count(run.lines).padStart(6)} ${run.lines === 1 ? 'line ' : 'lines'}`,
		`${count(run.warnings)} WARN`.padStart(9),
		`${count(run.errors)} ERROR`,
	];
	return parts.join('  ');
}

const STATUS_COLOR = {failed: 'red', cancelled: 'yellow', running: 'cyan', succeeded: 'green'} as const;

/**
 * `H`: the runs of the focused pane's automation or pipeline, newest first, paged from the server as the
 * choice moves down; `/` marks the runs whose lines match. It only draws: keys go to the RunListState.
 */
export function RunList({state, width, height}: {state: RunListState; width: number; height: number}) {
	const theme = useTheme();
	// The title, the line under it (the pattern, or what is loading), then the rows.
	const rows = Math.max(0, height - 2);
	const first = Math.max(0, state.selected - rows + 1);
	const shown = state.runs.slice(first, first + rows);
	const widths = {
		id: Math.max(0, ...shown.map((run) => sanitizeInline(run.runId).length)),
		matches: state.grep === undefined ? 0 : Math.max(0, ...shown.map((run) => matchesText(run).length)),
	};
	const {query, load} = state;
	let second: ReactNode;
	if (query) {
		const {before, at, after} = query.parts;
		second = (
			<Text wrap="truncate-end">
				<Text bold>/ </Text>
				{before}
				<Text inverse>{at || ' '}</Text>
				{after}
				<Text dimColor>{'  Enter mark the runs that match · Esc back'}</Text>
			</Text>
		);
	} else if (load.state === 'error') {
		// `retrying…` first: a long error is what the width cuts, not that the list is still asking.
		second = <Text color={tint(theme, 'red')} wrap="truncate-end">{`${load.retrying ? 'retrying… ' : ''}${sanitizeInline(load.message)}`}</Text>;
	} else if (load.state === 'loading') {
		second = <Text dimColor wrap="truncate-end">{state.grep === undefined ? 'reading the runs…' : `counting the lines that match /${sanitizeInline(state.grep)}/…`}</Text>;
	} else {
		const marks = state.grep === undefined ? '' : `/${sanitizeInline(state.grep)}/ marks the runs with matching lines · `;
		const end = state.reading ? 'reading older runs…' : state.more ? 'older runs read as you move down' : counted(state.runs.length, 'run');
		second = <Text dimColor wrap="truncate-end">{`${marks}${end}`}</Text>;
	}

	return (
		<Box flexDirection="column" width={width} height={height} overflow="hidden">
			<Text bold wrap="truncate-end">
				{state.title} <Text dimColor>({listHint()})</Text>
			</Text>
			{height > 1 ? second : null}
			{shown.map((run, index) => {
				const chosen = first + index === state.selected;
				const marked = Boolean(run.matches && run.matches.count > 0);
				return (
					<Text key={run.runId} inverse={chosen} bold={marked} color={tint(theme, STATUS_COLOR[run.status])} wrap="truncate-end">
						{chosen ? '▶ ' : marked ? '* ' : '  '}
						{runRowText(run, widths)}
					</Text>
				);
			})}
		</Box>
	);
}
