import {RE2JS} from 're2js';

/*
 * The one pattern language of dbtail (here, under protocol/, so the server's history search speaks it too): the viewer's filter (`/`) and search (`s`), `dbtail follow --filter`
 * and `--exclude`. Patterns run on RE2 (re2js, pure JavaScript: nothing to build on a fresh clone), whose
 * automata match in time linear in the text whatever the pattern, so no filter can freeze the viewer or
 * `follow` the way `(a+)+$` froze V8's backtracking engine for minutes on a line of 40 `a`s. The price is
 * what needs backtracking: backreferences and lookarounds are refused with an error that names them.
 * JavaScript spellings RE2 lacks (`\u00e9`, `\u{1F600}`, `(?<name>…)`) are accepted and translated.
 */

/** What matches: RE2, or for a flat pattern V8's own engine (see `flatRegExp`). */
type Engine = {test(text: string): boolean; ranges(text: string, limit: number): Array<[number, number]>};

function re2Engine(re2: RE2JS): Engine {
	return {
		test: (text) => re2.test(text),
		ranges(text, limit) {
			const found: Array<[number, number]> = [];
			const matcher = re2.matcher(text);
			while (found.length < limit && matcher.find()) {
				if (matcher.end() > matcher.start()) {
					found.push([matcher.start(), matcher.end()]);
				}
			}

			return found;
		},
	};
}

function v8Engine(regex: RegExp): Engine {
	const global = new RegExp(regex.source, `${regex.flags}g`);
	return {
		test: (text) => regex.test(text),
		ranges(text, limit) {
			const found: Array<[number, number]> = [];
			global.lastIndex = 0;
			for (let match = global.exec(text); match && found.length < limit; match = global.exec(text)) {
				if (match[0] === '') {
					global.lastIndex++;
				} else {
					found.push([match.index, match.index + match[0].length]);
				}
			}

			return found;
		},
	};
}

/*
 * RE2 is linear, but re2js matching case-insensitively is 5 to 8 times slower than V8 on the same lines
 * (100k lines, `timeout`: 550 ms against 27 ms), and smart case makes most typed patterns
 * case-insensitive. A flat pattern, with no group and no quantifier (`timeout`, `status 500`,
 * `host-1[0-2]`, `^\[load\]`, `WARN|ERROR`), cannot make V8 backtrack: at each place in the text it tries
 * each alternative once, in time bounded by the pattern. Those run on V8 with the `u` flag, whose strict
 * syntax refuses the RE2-only escapes (`\pL`, `\x{41}`, `\z`) so they go to RE2; everything else is RE2.
 */
const NOT_FLAT = /[*+?{}()]|\\[^dDwWsSbB.\\[\]^$|/-]|\[:/;

function flatRegExp(body: string, caseless: boolean): RegExp | undefined {
	// A quantifier or group anywhere, even escaped, sends the pattern to RE2: a false "not flat" costs speed only.
	if (NOT_FLAT.test(body.replaceAll('\\\\', ''))) {
		return undefined;
	}

	try {
		return new RegExp(body, caseless ? 'iu' : 'u');
	} catch {
		return undefined;
	}
}

/** A compiled filter or search. Opaque outside this file: use the functions below. */
export class LinePattern {
	readonly #engine: Engine;
	/** Level words are a handful of strings, labels a few per pane: each is matched once, then looked up. */
	readonly #levels = new Map<string, boolean>();
	readonly #labels = new Map<string, boolean>();

	constructor(
		/** What the user typed, `!` included. */
		readonly text: string,
		/** A filter that hides what it matches (`!`). */
		readonly exclude: boolean,
		engine: Engine,
	) {
		this.#engine = engine;
	}

	/** True when the pattern matches somewhere in `text`. Linear in the text. */
	test(text: string): boolean {
		return this.#engine.test(text);
	}

	/** True when the pattern matches the level word (`ERROR`). */
	testLevel(level: string): boolean {
		let hit = this.#levels.get(level);
		if (hit === undefined) {
			hit = this.#engine.test(level);
			this.#levels.set(level, hit);
		}

		return hit;
	}

	/** True when the pattern matches `[label]` as lines show it. */
	testLabel(label: string): boolean {
		let hit = this.#labels.get(label);
		if (hit === undefined) {
			// Labels come from the server: a stream of ever new ones must not grow this without end.
			if (this.#labels.size >= LABELS_KEPT) {
				this.#labels.clear();
			}

			hit = this.#engine.test(`[${label}]`);
			this.#labels.set(label, hit);
		}

		return hit;
	}

	/** [start, end) string offsets of the first `limit` non-empty matches in `text`, for highlighting. */
	ranges(text: string, limit: number): Array<[number, number]> {
		return text === '' ? [] : this.#engine.ranges(text, limit);
	}
}

const LABELS_KEPT = 512;

export type CompiledPattern = {pattern?: LinePattern; error?: string};

/** Why RE2 has no such thing: said after each construct refused. */
const LINEAR = 'patterns match in linear time, so no pattern can freeze dbtail';

/**
 * What the user typed, in RE2 syntax, and whether it names a capital letter of its own (escapes such as
 * `\S` or `\P{Lu}` do not count, as in ripgrep's smart case). Throws an Error naming a construct RE2
 * refuses, so the user reads `lookahead (?= is not supported` rather than RE2's parser wording.
 */
function translate(body: string): {source: string; capital: boolean} {
	let source = '';
	let capital = false;
	let inClass = false;
	for (let index = 0; index < body.length; index++) {
		const char = body[index]!;
		const rest = body.slice(index, index + 4);
		if (char === '\\') {
			const next = body[index + 1] ?? '';
			const braced = /^[pPx]\{[^}]*\}/.exec(body.slice(index + 1));
			const unicode = /^u(?:([\da-fA-F]{4})|\{([\da-fA-F]+)\})/.exec(body.slice(index + 1));
			if (!inClass && /[1-9]/.test(next)) {
				throw new Error(`backreference \\${next} is not supported: ${LINEAR}`);
			}

			if (!inClass && next === 'k' && body[index + 2] === '<') {
				throw new Error(`backreference \\k<…> is not supported: ${LINEAR}`);
			}

			if (unicode) {
				source += `\\x{${unicode[1] ?? unicode[2]!}}`;
				index += unicode[0].length;
			} else if (braced) {
				source += `\\${braced[0]}`;
				index += braced[0].length;
			} else {
				source += `\\${next}`;
				index++;
			}

			continue;
		}

		if (inClass) {
			inClass = char !== ']';
		} else if (char === '[') {
			inClass = true;
			// A `]` first in a class is a literal, as in RE2 and POSIX.
			const literal = /^\[\^?\]/.exec(body.slice(index));
			if (literal) {
				source += literal[0];
				index += literal[0].length - 1;
				continue;
			}
		} else if (rest.startsWith('(?=') || rest.startsWith('(?!')) {
			throw new Error(`lookahead ${rest.slice(0, 3)} is not supported: ${LINEAR}`);
		} else if (rest === '(?<=' || rest === '(?<!') {
			throw new Error(`lookbehind ${rest} is not supported: ${LINEAR}`);
		} else if (rest.startsWith('(?<')) {
			// JavaScript's named group; RE2 spells it (?P<name>…).
			source += '(?P<';
			index += 2;
			continue;
		}

		capital ||= /\p{Lu}/u.test(char);
		source += char;
	}

	return {source, capital};
}

/**
 * Compiles a pattern as typed, or says why it cannot be: `invalid regex: missing closing ]: \`[a\`` and
 * the like, or `lookahead (?= is not supported: …`, in one line. An error is never applied. A leading `!`
 * excludes (where `allowExclude`). Smart case, as in vim, less -i and ripgrep: case-insensitive unless the
 * text has a capital letter of its own. An empty text means no pattern.
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

	try {
		const {source, capital} = translate(body);
		// Compiled without flags first: re2js writes the case flag into the pattern as `(?i)`, and its
		// errors would quote that back to a user who never typed it.
		const re2 = RE2JS.compile(source);
		const flat = flatRegExp(body, !capital);
		const engine = flat ? v8Engine(flat) : re2Engine(capital ? re2 : RE2JS.compile(source, RE2JS.CASE_INSENSITIVE));
		return {pattern: new LinePattern(text, exclude, engine)};
	} catch (error) {
		const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
		return {error: reason.includes('is not supported') ? reason : `invalid regex: ${reason}`};
	}
}

/**
 * True when the pattern matches a line as it is shown (`ERROR [extract] timeout…`): its level word, its
 * `[label]` or its message, each on its own, so `ERROR`, `^timeout` and `\[extract\]` all find it but a
 * pattern does not span two of them. The viewer's filter and search and `dbtail follow --filter` use it
 * alike (exclusion not applied). No haystack is built per line: the message is the record's own string.
 */
export function matchesShownText(pattern: LinePattern, level: string, label: string | undefined, message: string): boolean {
	return pattern.testLevel(level) || pattern.test(message) || (label !== undefined && pattern.testLabel(label));
}
