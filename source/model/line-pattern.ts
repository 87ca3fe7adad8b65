import type {PaneLine} from './pane-line.js';

/** A compiled filter or search: a regular expression, and for filters whether it excludes. */
export type LinePattern = {text: string; regex: RegExp; exclude: boolean};

export type CompiledPattern = {pattern?: LinePattern; error?: string};

/**
 * Reads what the user typed after `/` or `s`. An empty text means no pattern. A leading `!` excludes
 * (filters only). Smart case, as in vim and less -i: case-insensitive unless the text has a capital.
 * An invalid regular expression comes back as an error that names the problem; it is never applied.
 */
export function compilePattern(text: string, options: {allowExclude: boolean}): CompiledPattern {
	let body = text;
	let exclude = false;
	if (options.allowExclude && body.startsWith('!')) {
		exclude = true;
		body = body.slice(1);
	}

	if (body === '') {
		return {};
	}

	const flags = /\p{Lu}/u.test(body) ? '' : 'i';
	try {
		return {pattern: {text, regex: new RegExp(body, flags), exclude}};
	} catch (error) {
		const reason = error instanceof Error ? error.message.replace(/^Invalid regular expression: /, '') : String(error);
		return {error: `invalid regex: ${reason}`};
	}
}

/** Labels seen, each with its `[label]` as lines show it: a few tasks per pane, so no string per line. */
const shownLabels = new Map<string, string>();
const SHOWN_LABELS_KEPT = 512;

function shownLabel(label: string): string {
	let shown = shownLabels.get(label);
	if (shown === undefined) {
		// Labels come from the server: a stream of ever new ones must not grow this without end.
		if (shownLabels.size >= SHOWN_LABELS_KEPT) {
			shownLabels.clear();
		}

		shown = `[${label}]`;
		shownLabels.set(label, shown);
	}

	return shown;
}

/**
 * True when the regex matches a line as it is shown (`ERROR [extract] timeout…`): its level word, its
 * `[label]` or its message, each on its own, so `ERROR`, `^timeout` and `\[extract\]` all find it but a
 * pattern does not span two of them. The viewer's filter and search and `dbtail follow --filter` use it
 * alike. No haystack is built per line: the level and message are the record's own strings.
 */
export function matchesShownText(regex: RegExp, level: string, label: string | undefined, message: string): boolean {
	return regex.test(level) || regex.test(message) || (label !== undefined && regex.test(shownLabel(label)));
}

/**
 * True when the pattern matches the line as the pane shows it (exclusion not applied). A pane hides the
 * label of its own task (`ownLabel`), so that label is not matched: `/extract` in the task/extract pane
 * finds the lines that say it, not every line.
 */
export function patternHits(pattern: LinePattern, line: PaneLine, ownLabel?: string): boolean {
	return matchesShownText(pattern.regex, line.level, line.label === ownLabel ? undefined : line.label, line.message);
}

/** True when a filter lets the line through. */
export function filterPasses(pattern: LinePattern | undefined, line: PaneLine, ownLabel?: string): boolean {
	return pattern === undefined || patternHits(pattern, line, ownLabel) !== pattern.exclude;
}
