import {FOOTER_HINT} from '../model/key-table.js';
import {stringWidth} from '../model/text-columns.js';
import type {Workspace} from '../model/workspace.js';
import {FixedLines} from './fixed-lines.js';
import {paintLine, type Segment} from './paint.js';
import {statusItems} from './status-items.js';
import {useTheme} from './theme.js';

const SEPARATOR = ' · ';

/** The last line: the focused pane's connection and counters, then as many key hints as fit. */
export function StatusBar({workspace, width, now}: {workspace: Workspace; width: number; now: number}) {
	const theme = useTheme();
	const all = statusItems(workspace, now);
	const widthOf = (list: Array<{text: string}>) => list.reduce((sum, item) => sum + stringWidth(item.text) + SEPARATOR.length, 0);
	const hint = width - widthOf(all) >= FOOTER_HINT.length ? FOOTER_HINT : '? help';
	// Drop the least important items rather than the `? help` hint when the line is too narrow. Items that
	// did not fit are not gone silently: an ellipsis says there is more (the pane titles keep the markers
	// that matter), where it fits.
	const more = {text: '…'};
	const items = [...all];
	while (items.length > 1 && widthOf(items.length < all.length ? [...items, more] : items) + hint.length > width) {
		items.pop();
	}

	if (items.length < all.length && widthOf([...items, more]) + hint.length <= width) {
		items.push(more);
	}

	const segments: Segment[] = items.flatMap((item) => [
		{text: item.text, look: {color: item.color, bold: item.bold}},
		{text: SEPARATOR, look: {dim: true}},
	]);
	segments.push({text: hint, look: {dim: true}});
	return <FixedLines lines={[paintLine(segments, width, theme)]} width={width} height={1} />;
}
