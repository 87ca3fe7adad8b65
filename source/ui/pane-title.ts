import {connectionColor, connectionWord, runColor} from '../model/connection-text.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {paintLine, type Look, type Segment} from './paint.js';
import type {Theme} from './theme.js';

/** The title row: number, source, run id and state, the connection as a dot and a word, follow state. */
export function paneTitle(pane: Pane, number: number, focused: boolean, snapshot: PaneSnapshot, width: number, theme: Theme): string {
	const bar: Look = focused ? {inverse: true, bold: true} : {};
	const {connection, run} = pane;
	const segments: Segment[] = [{text: `${focused ? '▶' : ' '}${number} ${sanitizeInline(pane.source)} `}];
	if (run) {
		segments.push(
			{text: `${sanitizeInline(run.runId)} `, look: focused ? bar : {dim: true}, whole: true},
			{text: run.status, look: {...bar, color: runColor(run)}},
			{text: ' '},
		);
	}

	segments.push({text: '●', look: {...bar, color: connectionColor(connection)}}, {text: ` ${connectionWord(connection)} `});
	if (snapshot.paused) {
		segments.push({text: ` PAUSED +${pane.store.newWhilePaused.toLocaleString('en-US')} new `, look: {...bar, color: 'yellow', bold: true}});
	} else if (!snapshot.following) {
		const below = snapshot.below > 0 ? `${snapshot.below.toLocaleString('en-US')} below, ` : '';
		segments.push({text: ` not following (${below}G) `, look: {...bar, color: 'yellow', bold: true}});
	}

	return paintLine(segments, width, theme, bar);
}
