import type {Workspace} from '../model/workspace.js';
import {statusItems} from './status-items.js';

/** Everything on screen that changes with the clock alone: relative times, countdowns, rates, messages. */
export function clockSignature(workspace: Workspace, now: number): string {
	const times = workspace.visiblePanes().map((pane) => pane.store.timeSignature(now));
	const status = statusItems(workspace, now).map((item) => item.text);
	return `${times.join('\n')}\n${status.join('|')}`;
}
