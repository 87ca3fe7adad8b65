import {FOOTER_HINT, FOOTER_HINT_FULL, FOOTER_HINT_MARKS, FOOTER_HINT_MERGE, FOOTER_HINT_WIDE, FOOTER_HINT_WIDEST} from '../model/key-table.js';
import type {Workspace} from '../model/workspace.js';
import {FixedLines} from './fixed-lines.js';
import {barWidth, paintLine, type Segment} from './paint.js';
import {statusItems, type StatusItem} from './status-items.js';
import {useTheme} from './theme.js';

const SEPARATOR = ' · ';
/** Said in place of the items that did not fit: they are not gone silently (the pane titles keep the markers that matter). */
const MORE: StatusItem = {text: '…'};

const widthOf = (list: Array<{text: string}>) => list.reduce((sum, item) => sum + barWidth(item.text) + SEPARATOR.length, 0);

/**
 * Which items the line keeps, and in which form, to fit `width` beside the hint: as many as fit in their short
 * forms (the least important, last, dropped first, with an ellipsis where it fits), then each given its full
 * text again, the most important first, where the line has room. So at 80 columns with the server gone the
 * pane's state and a failed history read both show (`reconnecting in 3s (attempt 2) · history failed
 * (ECONNREFUSED)`) rather than the first item's whole reason alone. The first item stays even if it does
 * not fit (the line is cut).
 */
export function fitStatusItems(all: StatusItem[], width: number, hint: string): StatusItem[] {
	const fits = (list: StatusItem[]) => widthOf(list) + barWidth(hint) <= width;
	for (let kept = all.length; kept >= 1; kept--) {
		const items = all.slice(0, kept).map((item) => (item.short === undefined ? item : {...item, text: item.short}));
		const more = kept < all.length ? [MORE] : [];
		if (kept > 1 && !fits([...items, ...more])) {
			continue;
		}

		// The first item alone: the ellipsis only where it fits beside it.
		const tail = fits([...items, ...more]) ? more : [];

		for (const [index, item] of all.slice(0, kept).entries()) {
			if (item.short !== undefined && fits([...items.slice(0, index), item, ...items.slice(index + 1), ...tail])) {
				items[index] = item;
			}
		}

		return [...items, ...tail];
	}

	return [];
}

/** The last line: the focused pane's connection and counters, then as many key hints as fit. */
export function StatusBar({workspace, width, now}: {workspace: Workspace; width: number; now: number}) {
	const theme = useTheme();
	const all = statusItems(workspace, now);
	// The widest hint that fits beside every item: with `T time`, `e ERROR`, `S save`, `M merge`, then `m mark` and `C context` where there is room, then fewer.
	const hint = [FOOTER_HINT_MARKS, FOOTER_HINT_MERGE, FOOTER_HINT_FULL, FOOTER_HINT_WIDEST, FOOTER_HINT_WIDE, FOOTER_HINT].find((each) => width - widthOf(all) >= each.length) ?? '? help';
	// Items are shortened, then the least important dropped, rather than the `? help` hint.
	const items = fitStatusItems(all, width, hint);
	const segments: Segment[] = items.flatMap((item) => [
		{text: item.text, look: {color: item.color, bold: item.bold}},
		{text: SEPARATOR, look: {dim: true}},
	]);
	segments.push({text: hint, look: {dim: true}});
	return <FixedLines lines={[paintLine(segments, width, theme)]} width={width} height={1} />;
}
