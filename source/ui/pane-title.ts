import {connectionColor, connectionWord, liveDetail, runColor} from '../model/connection-text.js';
import {levelFloorName} from '../model/level-floor.js';
import {levelLook} from '../model/look.js';
import type {Pane} from '../model/pane.js';
import type {PaneSnapshot} from '../model/pane-store.js';
import {sliceColumns, stringWidth} from '../model/text-columns.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {parseStreamName} from '../protocol/streams.js';
import {pinText} from '../model/run-access.js';
import {barWidth, paintLine, segmentsWidth, type Look, type Segment} from './paint.js';
import type {Theme} from './theme.js';
import {count} from '../model/count-text.js';

/** A source name is not cut below this many columns (or its whole id, when shorter) while anything else can give way. */
const NAME_FLOOR = 10;

/**
 * Short markers of what the pane hides, marks or holds, so every pane says it, not only the focused one.
 * `compact` is the narrow pane's form: one space apart, `PAUSED +28` without `new`.
 */
function markers(pane: Pane, snapshot: PaneSnapshot, bar: Look, compact = false): Segment[] {
	const {store} = pane;
	const warn: Look = {...bar, color: 'yellow', bold: true};
	const info: Look = {...bar, color: 'cyan'};
	const texts: Array<[string, Look]> = [];
	if (snapshot.paused) {
		texts.push([`PAUSED +${count(store.newWhilePaused)}${compact ? '' : ' new'}`, warn]);
	} else if (!snapshot.following) {
		texts.push([compact ? 'not following' : `not following (${snapshot.below > 0 ? `${count(snapshot.below)} below, ` : ''}G)`, warn]);
	}

	if (pane.pager.activity) {
		texts.push([compact ? 'loading' : pane.pager.activity, warn]);
	}

	if (pane.runActivity) {
		texts.push([compact ? 'runs…' : pane.runActivity, warn]);
	}

	if (store.filterText) {
		texts.push([`/${sanitizeInline(store.filterText)}/`, info]);
	}

	if (store.levelFloor) {
		texts.push([`≥${levelFloorName(store.levelFloor)}`, info]);
	}

	if (store.searchText) {
		texts.push([`s:${sanitizeInline(store.searchText)}`, info]);
	}

	return texts.map(([text, look]) => ({text: compact ? ` ${text}` : ` ${text} `, look}));
}

/**
 * `2 ERROR 5 WARN new`, in the level colors: what came while the pane was not looked at at its live end.
 * `compact` is the narrow pane's form, as the markers': one space before, no `new`.
 */
function unread(pane: Pane, bar: Look, compact = false): Segment[] {
	const {errors, warnings} = pane.attention;
	const counts: Segment[] = [];
	if (errors > 0) {
		counts.push({text: `${count(errors)} ERROR`, look: {...bar, ...levelLook('ERROR')}});
	}

	if (warnings > 0) {
		counts.push({text: `${count(warnings)} WARN`, look: {...bar, ...levelLook('WARN')}});
	}

	if (counts.length === 0) {
		return [];
	}

	const spaced = counts.flatMap((segment) => [{text: ' '}, segment]);
	return compact ? spaced : [...spaced, {text: ' new '}];
}

/**
 * The activity sparkline: lines per second over the last minute, 5 s a cell, ERROR seconds in the error
 * color. Drawn out of the focused bar's inverse: inverted, the block glyphs would read upside down.
 */
function sparkline(pane: Pane, now: number): Segment[] {
	const error = levelLook('ERROR')!;
	const plain: Look = {};
	const segments: Segment[] = [];
	for (const cell of pane.attention.activity.cells(now)) {
		const look = cell.error ? error : plain;
		const last = segments.at(-1);
		if (last?.look === look) {
			last.text += cell.glyph;
		} else {
			segments.push({text: cell.glyph, look});
		}
	}

	return segments;
}

/**
 * The short name of a source, what tells it from the other panes: the id without its kind
 * (`automation/ut-static` → `ut-static`, the pinned run stays), a URL without its scheme.
 */
export function shortSourceName(source: string): string {
	const url = /^https?:\/\/(.+)$/i.exec(source);
	if (url) {
		return url[1]!;
	}

	try {
		const ref = parseStreamName(source);
		return ref.id === undefined ? source : `${ref.id}${ref.run ? `?run=${ref.run}` : ''}`;
	} catch {
		return source;
	}
}

/** `text` in at most `width` columns, its middle given up first (`nightly-…-load`): both ends tell names apart. */
export function cutMiddle(text: string, width: number): string {
	const total = stringWidth(text);
	if (total <= width) {
		return text;
	}

	if (width <= 1) {
		return width === 1 ? '…' : '';
	}

	const head = Math.ceil((width - 1) / 2);
	const tail = width - 1 - head;
	return `${sliceColumns(text, 0, head)}…${tail > 0 ? sliceColumns(text, total - tail, tail) : ''}`;
}

type Parts = {
	head: string;
	name: string;
	run?: {id: string; status: string; look: Look; color: Look};
	dot: Segment;
	word: string;
	unread: Segment[];
	marks: Segment[];
	/** Right-aligned after one blank column at least; the first thing to go. */
	spark: Segment[];
};

const widthOf = (parts: Parts): number =>
	barWidth(parts.head) +
	barWidth(parts.name) +
	1 +
	(parts.run ? barWidth(parts.run.id) + 1 + (parts.run.status ? barWidth(parts.run.status) + 1 : 0) : 0) +
	1 +
	barWidth(parts.word) +
	2 +
	segmentsWidth(parts.unread) +
	segmentsWidth(parts.marks) +
	(parts.spark.length > 0 ? 1 + segmentsWidth(parts.spark) : 0);

/**
 * The title row: number, source, run id and state, the connection as a dot and a word, the unread ERROR
 * and WARN lines, the pane's markers, and at the right end the activity sparkline. A narrow pane gives way
 * in this order: the sparkline, the source's kind (`automation/`), the quiet time of a live connection, the
 * word `running` (the run id stays), the counts' and markers' spaces and words, the middle of the source's
 * id down to ten columns; only then is the line cut at its end (the markers, then the state). The id is
 * what tells nine panes apart: it is never cut to nothing while the title has columns for it.
 */
export function paneTitle(pane: Pane, number: number, focused: boolean, snapshot: PaneSnapshot, width: number, theme: Theme, now = Date.now()): string {
	const bar: Look = focused ? {inverse: true, bold: true} : {};
	const {connection, pin} = pane;
	// A pane moved to an earlier run says which and how far back: `r-4019 · 2 runs back · failed in 4m12s`.
	const run = pane.run ?? (pin && {runId: pin.run.runId, status: pin.run.status});
	// A pane moved to an earlier run says the run beside its name (`r-9 · 2 runs back`): its name is the live source's.
	const source = sanitizeInline(pin ? pin.live : pane.source);
	const parts: Parts = {
		head: `${focused ? '▶' : ' '}${number} `,
		name: source,
		run: run && {id: sanitizeInline(run.runId), status: pin ? pinText(pin) : run.status, look: focused ? bar : {dim: true}, color: {...bar, color: runColor(run)}},
		dot: {text: '●', look: {...bar, color: connectionColor(connection)}},
		// A live pane that has heard nothing for a while says so: `● live, quiet 8s`.
		word: connection.kind === 'live' ? liveDetail(connection.since, pane.stats.lastRecordAt, now) : connectionWord(connection),
		unread: unread(pane, bar),
		marks: markers(pane, snapshot, bar),
		spark: sparkline(pane, now),
	};
	const steps: Array<() => void> = [
		() => {
			parts.spark = [];
		},
		() => {
			parts.name = shortSourceName(source);
		},
		() => {
			parts.word = connectionWord(connection);
		},
		() => {
			if (parts.run?.status === 'running') {
				parts.run.status = '';
			}
		},
		() => {
			parts.unread = unread(pane, bar, true);
			parts.marks = markers(pane, snapshot, bar, true);
		},
		() => {
			const over = widthOf(parts) - width;
			if (over > 0) {
				parts.name = cutMiddle(parts.name, Math.max(Math.min(NAME_FLOOR, barWidth(parts.name)), barWidth(parts.name) - over));
			}
		},
	];
	for (const step of steps) {
		if (widthOf(parts) <= width) {
			break;
		}

		step();
	}

	const segments: Segment[] = [{text: `${parts.head}${parts.name} `}];
	if (parts.run) {
		segments.push({text: `${parts.run.id} `, look: parts.run.look, whole: true});
		if (parts.run.status) {
			segments.push({text: parts.run.status, look: parts.run.color}, {text: ' '});
		}
	}

	segments.push(parts.dot, {text: ` ${parts.word} `}, ...parts.unread, ...parts.marks);
	if (parts.spark.length > 0) {
		segments.push({text: ' '.repeat(width - widthOf(parts) + 1)}, ...parts.spark);
	}

	return paintLine(segments, width, theme, bar);
}
