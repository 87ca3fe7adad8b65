import type {Workspace} from '../model/workspace.js';
import {FixedLines} from './fixed-lines.js';
import {FOOTER_HINT} from '../model/key-table.js';
import {paintLine, type Segment} from './paint.js';
import {statusItems} from './status-items.js';
import {useTheme} from './theme.js';

const SEPARATOR = ' · ';

/** The last line: the focused pane's connection and counters, then as many key hints as fit. */
export function StatusBar({workspace, width, now}: {workspace: Workspace; width: number; now: number}) {
	const theme = useTheme();
	const all = statusItems(workspace, now);
	const used = all.reduce((sum, item) => sum + item.text.length + SEPARATOR.length, 0);
	const hint = width - used >= FOOTER_HINT.length ? FOOTER_HINT : '? help';
	// Drop the least important items rather than the `? help` hint when the line is too narrow.
	const items = [...all];
	let length = used + hint.length;
	while (items.length > 1 && length > width) {
		length -= items.pop()!.text.length + SEPARATOR.length;
	}

	// Items that did not fit are not gone silently: an ellipsis says there is more (the pane titles keep
	// the markers that matter).
	if (items.length < all.length) {
		items.push({text: '…'});
	}

	const segments: Segment[] = items.flatMap((item) => [
		{text: item.text, look: {color: item.color, bold: item.bold}},
		{text: SEPARATOR, look: {dim: true}},
	]);
	segments.push({text: hint, look: {dim: true}});
	return <FixedLines lines={[paintLine(segments, width, theme)]} width={width} height={1} />;
}
