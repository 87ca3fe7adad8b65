import {connectionColor, connectionWord, liveDetail, runColor} from '../model/connection-text.js';
import {levelFloorName} from '../model/level-floor.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {sliceColumns, stringWidth} from '../model/text-columns.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {paintLine, type Look, type Segment} from './paint.js';
import type {Theme} from './theme.js';

const count = (value: number) => value.toLocaleString('en-US');

/** Short markers of what the pane hides, marks or holds, so every pane says it, not only the focused one. */
function markers(pane: Pane, snapshot: PaneSnapshot, bar: Look): Segment[] {
	const {store} = pane;
	const warn: Look = {...bar, color: 'yellow', bold: true};
	const info: Look = {...bar, color: 'cyan'};
	const marks: Segment[] = [];
	if (snapshot.paused) {
		marks.push({text: ` PAUSED +${count(store.newWhilePaused)} new `, look: warn});
	} else if (!snapshot.following) {
		marks.push({text: ` not following (${snapshot.below > 0 ? `${count(snapshot.below)} below, ` : ''}G) `, look: warn});
	}

	if (store.filterText) {
		marks.push({text: ` /${sanitizeInline(store.filterText)}/ `, look: info});
	}

	if (store.levelFloor) {
		marks.push({text: ` ≥${levelFloorName(store.levelFloor)} `, look: info});
	}

	if (store.searchText) {
		marks.push({text: ` s:${sanitizeInline(store.searchText)} `, look: info});
	}

	return marks;
}

/**
 * The title row: number, source, run id and state, the connection as a dot and a word, and the pane's
 * markers. A narrow pane cuts the source name (and then the filter text), never the state: `● offline`
 * and `PAUSED` matter more than the end of `artifact/orders-parquet`.
 */
export function paneTitle(pane: Pane, number: number, focused: boolean, snapshot: PaneSnapshot, width: number, theme: Theme, now = Date.now()): string {
	const bar: Look = focused ? {inverse: true, bold: true} : {};
	const {connection, run} = pane;
	const state: Segment[] = [];
	if (run) {
		state.push(
			{text: `${sanitizeInline(run.runId)} `, look: focused ? bar : {dim: true}, whole: true},
			{text: run.status, look: {...bar, color: runColor(run)}},
			{text: ' '},
		);
	}

	// A live pane that has heard nothing for a while says so: `● live, quiet 8s`.
	const word = connection.kind === 'live' ? liveDetail(connection.since, pane.stats.lastRecordAt, now) : connectionWord(connection);
	state.push({text: '●', look: {...bar, color: connectionColor(connection)}}, {text: ` ${word} `});
	const marks = markers(pane, snapshot, bar);
	const head = `${focused ? '▶' : ' '}${number} `;
	const fixed = [...state, ...marks].reduce((sum, segment) => sum + stringWidth(segment.text), 0);
	const source = sanitizeInline(pane.source);
	const room = width - stringWidth(head) - fixed - 1;
	const name = stringWidth(source) <= room ? source : room > 1 ? `${sliceColumns(source, 0, room - 1)}…` : '';
	return paintLine([{text: `${head}${name} `}, ...state, ...marks], width, theme, bar);
}
