import {connectionColor, connectionDetail, finishedRunDetail, runColor} from '../model/connection-text.js';
import {levelFloorName} from '../model/level-floor.js';
import type {Pane} from '../model/pane.js';
import {streamRefOf} from '../model/run-access.js';
import type {Workspace} from '../model/workspace.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import type {Look} from './paint.js';
import {count, counted} from '../model/count-text.js';

/** `short`: what the item says where the line is too narrow for `text` (the bar drops items it cannot fit either way). */
export type StatusItem = {text: string; short?: string; color?: Look['color']; bold?: boolean};


/**
 * Of what the cursor's `seq` counts lines: a pane over an automation or pipeline follows whole runs, so the
 * newest seq it heard is its run's length; a task or artifact holds part of a run (seq still numbers the run's
 * lines, and the task's own count is not known from it), and `all` (or a URL) mixes runs.
 */
function placeScope(source: string): 'run' | 'part' | 'mixed' {
	const kind = streamRefOf(source)?.kind;
	if (kind === 'automation' || kind === 'pipeline') {
		return 'run';
	}

	return kind === 'task' || kind === 'artifact' ? 'part' : 'mixed';
}

/**
 * `line 120,400 of 2,000,000`: the cursor's line in its run, while the pane is scrolled back and records carry
 * `seq`; `line 936 of the run` in a task's pane, `line 936 of its run` where runs mix.
 */
export function runPlace(pane: Pane): string | undefined {
	const {store} = pane;
	const position = store.view.cursorPosition();
	const seq = position === undefined || store.following ? undefined : store.window.seqAt(position);
	const range = store.window.heldRange();
	if (seq === undefined || range === undefined) {
		return undefined;
	}

	const scope = placeScope(pane.source);
	const of = scope === 'run' ? count(range.of) : scope === 'part' ? 'the run' : 'its run';
	return `line ${count(seq)} of ${of}`;
}

/**
 * The pane's state; where it has a reason (`reconnecting in 4s (attempt 3): cannot reach …`, `offline: …`),
 * the state alone is its short form: at 80 columns the reason is what gives way.
 */
function connectionItem(pane: Pane, now: number): StatusItem {
	const text = sanitizeInline(connectionDetail(pane.connection, now, pane.stats));
	const {kind} = pane.connection;
	const colon = text.indexOf(': ');
	return (kind === 'reconnecting' || kind === 'failed' || kind === 'ended') && colon > 0 ? {text, short: text.slice(0, colon)} : {text};
}

/**
 * `history failed (ECONNREFUSED)`, `history failed (HTTP 503)`: a failed read of the history, without the
 * server's address and the words around the cause (the pane's state beside it says the server is away). A
 * message that is not a failed read (a search that found nothing) has no short form.
 */
export function shortHistoryError(text: string): string | undefined {
	if (!text.startsWith('history: ')) {
		return undefined;
	}

	const code = /\(([A-Z][A-Z\d_]+)\)\s*$/.exec(text)?.[1] ?? /\bHTTP (\d{3})\b/.exec(text)?.[0];
	return code ? `history failed (${code})` : 'history failed';
}

/**
 * What the status bar says about the focused pane, most important first (a narrow terminal drops the
 * tail): pause, connection, what hides or marks lines, then the counters.
 */
export function statusItems(workspace: Workspace, now: number): StatusItem[] {
	const items: StatusItem[] = [];
	const pane = workspace.focused;
	if (workspace.message && workspace.message.until > now) {
		// A message may quote a server (a failed run list): made harmless here, once for every caller of say().
		items.push({text: sanitizeInline(workspace.message.text), color: workspace.message.error ? 'red' : 'cyan', bold: true});
	}

	if (!pane) {
		return items;
	}

	const {store} = pane;
	if (store.paused) {
		items.push({text: `PAUSED +${count(store.newWhilePaused)} new`, color: 'yellow', bold: true});
	}

	items.push({...connectionItem(pane, now), color: connectionColor(pane.connection)});
	const finished = finishedRunDetail(pane.connection, pane.run);
	if (finished) {
		items.push({text: finished, color: runColor(pane.run)});
	}

	// A new filter or search over a big window is applied a slice at a time; the counts grow until it is done.
	const {indexing} = store;
	if (indexing) {
		const done = indexing.total === 0 ? 100 : Math.floor((100 * indexing.done) / indexing.total);
		items.push({text: `${indexing.what === 'filter' ? 'filtering' : 'searching'}… ${done}%`, color: 'yellow'});
	}

	// Reading the history (scrolled back past what is held) goes on while keys land; its failure is said here.
	if (pane.pager.activity) {
		items.push({text: pane.pager.activity, color: 'yellow'});
	}

	if (pane.runActivity) {
		items.push({text: pane.runActivity, color: 'yellow'});
	}

	if (pane.pager.error) {
		const text = sanitizeInline(pane.pager.error);
		items.push({text, short: shortHistoryError(text), color: 'red'});
	}

	// Scrolled back, where the cursor is in its run: `line 120,400 of 2,000,000`.
	const place = runPlace(pane);
	if (place) {
		items.push({text: place, color: 'cyan'});
	}

	if (store.filterError) {
		items.push({text: `filter ${store.filterError}`, color: 'red'});
	} else if (store.filterText) {
		// With context the pane shows more lines than match: the count is of the matches.
		items.push({text: `/${sanitizeInline(store.filterText)}/ ${count(store.matchCount)} ${store.index.contextShown > 0 ? 'matching' : 'shown'}`, color: 'cyan'});
	}

	if (store.levelFloor) {
		items.push({text: `level ${levelFloorName(store.levelFloor)}+`, color: 'cyan'});
	}

	if (store.context > 0) {
		items.push({text: `context ${store.context}`, short: `C${store.context}`, color: 'cyan'});
	}

	const marks = store.marks.size;
	if (marks > 0) {
		items.push({text: counted(marks, 'mark'), color: 'magenta'});
	}

	if (store.searchText && !store.searchError) {
		const place = store.hitPlace();
		const at = place && place.at > 0 ? ` (${count(place.at)}/${count(place.of)})` : '';
		items.push({text: `search "${sanitizeInline(store.searchText)}" ${counted(store.hitCount, 'hit')}${at}`, color: 'cyan'});
		// Where the server could count it: which match of the whole run the cursor is on.
		const inRun = pane.pager.matchPlaceText();
		if (inRun) {
			items.push({text: inRun, color: 'cyan'});
		}
	}

	if (workspace.zoomed) {
		items.push({text: `zoomed ${workspace.focus + 1}/${workspace.panes.length} (z)`, color: 'cyan'});
	}

	if (!store.wrap) {
		items.push({text: `nowrap +${store.hscroll}`});
	}

	// Lines no longer kept say something is lost from view: before the counters, which a narrow bar drops first.
	// Where the source has a history they are not lost: scrolling back reads them again.
	if (store.window.evicted > 0 && !store.window.readable) {
		items.push({text: `${count(store.window.evicted)} older lines dropped`, color: 'yellow'});
	}

	const {stats} = pane;
	const rate = pane.liveRate(now);
	items.push({text: `${count(rate)} ${rate === 1 ? 'line' : 'lines'}/s`}, {text: `${count(store.window.size)} buffered`});
	// Connections made again, said only while live (next to `reconnecting (attempt 7)` it read as a contradiction).
	if (stats.reconnects > 0 && pane.connection.kind === 'live') {
		items.push({text: `reconnected ${count(stats.reconnects)}×`});
	}

	return items;
}
