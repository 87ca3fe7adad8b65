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

/** True when the record's message or its task/artifact label matches (exclusion not applied). */
export function patternHits(pattern: LinePattern, line: PaneLine): boolean {
	return pattern.regex.test(line.message) || (line.label !== undefined && pattern.regex.test(line.label));
}

/** True when a filter lets the record through. */
export function filterPasses(pattern: LinePattern | undefined, line: PaneLine): boolean {
	return pattern === undefined || patternHits(pattern, line) !== pattern.exclude;
}
