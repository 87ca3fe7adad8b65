import type {Workspace} from '../model/workspace.js';
import {statusItems} from './status-items.js';

/** The time columns on screen as they read at `now`: relative times, and the titles' sparklines, change with the clock alone. */
export function timeSignature(workspace: Workspace, now: number): string {
	return workspace
		.visiblePanes()
		.map((pane) => `${pane.store.timeSignature(now)}${pane.attention.activity.signature(now)}`)
		.join('\n');
}

/** The status line's text at `now`: countdowns, rates and messages change without a new line. */
export function statusSignature(workspace: Workspace, now: number): string {
	return statusItems(workspace, now)
		.map((item) => item.text)
		.join('|');
}
