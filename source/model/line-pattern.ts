import {matchesShownText, type LinePattern} from '../protocol/pattern.js';
import type {PaneLine} from './pane-line.js';

/*
 * The pattern language (protocol/pattern.ts) applied to a pane's lines: the viewer's filter and search.
 * Its engine is re-exported, so what imported it from here still does.
 */

export {compilePattern, LinePattern, matchesShownText, type CompiledPattern} from '../protocol/pattern.js';

/**
 * True when the pattern matches the line as the pane shows it (exclusion not applied). A pane hides the
 * label of its own task (`ownLabel`), so that label is not matched: `/extract` in the task/extract pane
 * finds the lines that say it, not every line. A notice (`── run r-40 failed in 3s`) shows no level and no
 * label: its text alone is matched.
 */
export function patternHits(pattern: LinePattern, line: PaneLine, ownLabel?: string): boolean {
	if (line.notice) {
		return pattern.test(line.message);
	}

	return matchesShownText(pattern, line.level, line.label === ownLabel ? undefined : line.label, line.message);
}

/** True when a filter lets the line through. */
export function filterPasses(pattern: LinePattern | undefined, line: PaneLine, ownLabel?: string): boolean {
	return pattern === undefined || patternHits(pattern, line, ownLabel) !== pattern.exclude;
}
