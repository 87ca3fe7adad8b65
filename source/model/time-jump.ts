import {count} from './count-text.js';
import type {GoToOutcome} from './line-target.js';
import type {Pane} from './pane.js';
import {timeLabel} from './time-target.js';
import type {Workspace} from './workspace.js';

/**
 * `T` with a time read (time-target.ts): the pane goes to the first line at or after it, read from the
 * server where it is not held (the pager's goTo), and the status bar says where it went
 * (`14:05:00 → line 12,345`) or why it stayed. Said only while the pane is open, and only once the answer
 * is in: a key that moved the view meanwhile cancelled the move, and nothing is said of it.
 */
export function jumpToTime(workspace: Workspace, pane: Pane, target: {time: number; label: string}): void {
	void pane.pager.goTo({time: new Date(target.time).toISOString()}).then((outcome) => {
		const said = outcomeText(outcome, target.label, Date.now());
		if (said && workspace.panes.includes(pane)) {
			workspace.say(said.text, said.error);
			workspace.changed(true);
		}
	});
}

/** The status bar's words for where a move to a time ended; undefined where there is nothing to say. */
export function outcomeText(outcome: GoToOutcome, label: string, now: number): {text: string; error: boolean} | undefined {
	if (outcome.kind === 'none') {
		return {text: `no line at or after ${label}`, error: true};
	}

	if (outcome.kind === 'dropped') {
		return undefined;
	}

	const time = Date.parse(outcome.timestamp);
	const at = Number.isNaN(time) ? outcome.timestamp : timeLabel(time, now);
	if (outcome.older) {
		return {text: `${label} is older than the lines held: the oldest, at ${at}`, error: false};
	}

	return {text: `${label} → ${outcome.seq === undefined ? `the line at ${at}` : `line ${count(outcome.seq)}`}`, error: false};
}
