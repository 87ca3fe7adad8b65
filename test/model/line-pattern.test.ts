import {describe, expect, it} from 'vitest';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {PaneStore} from '../../source/model/pane-store.js';
import {compilePattern, filterPasses, matchesShownText, patternHits} from '../../source/model/line-pattern.js';
import {toPaneLine} from '../../source/model/pane-line.js';

const now = Date.parse('2026-11-22T10:00:00Z');

let seq = 0;
function record(level: Level, message: string, taskId?: string): LogRecord {
	seq++;
	return {id: String(seq), seq, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level, message, taskId};
}

/** A pane holding the lines of an automation: each labeled with its task. */
function storeWithLines(options: {ownLabel?: string} = {}): PaneStore {
	const store = new PaneStore(options);
	store.resize({rows: 10, width: 80});
	store.setTimestamps('none');
	store.append(record('INFO', 'connect ok', 'extract'));
	store.append(record('ERROR', 'timeout talking to db', 'extract'));
	store.append(record('WARN', 'retry scheduled', 'load'));
	store.append(record('INFO', 'extract done', 'load'));
	return store;
}

/** The log rows on screen (the pane's own notices, such as lines it does not hold, left out). */
const logRows = (store: PaneStore) => store.snapshot(now).rows.filter((row) => !row.notice);
const messages = (store: PaneStore) => logRows(store).map((row) => row.text);

describe('filter and search match the line as shown', () => {
	it('finds a line by its level word, which its message does not say', () => {
		const store = storeWithLines();
		store.setFilter('ERROR');
		expect(messages(store)).toEqual(['[extract] timeout talking to db']);
		store.setFilter('warn|error');
		expect(store.shownCount).toBe(2);
	});

	it('excludes by level word with !', () => {
		const store = storeWithLines();
		store.setFilter('!INFO');
		expect(messages(store)).toEqual(['[extract] timeout talking to db', '[load] retry scheduled']);
	});

	it('matches the [label] as shown and anchors on the message', () => {
		const store = storeWithLines();
		store.setFilter(String.raw`\[load\]`);
		expect(store.shownCount).toBe(2);
		store.setFilter('^timeout');
		expect(messages(store)).toEqual(['[extract] timeout talking to db']);
	});

	it('tests each new line as it arrives, not only on a re-scan', () => {
		const store = storeWithLines();
		store.setFilter('ERROR');
		store.append(record('ERROR', 'disk full', 'load'));
		store.append(record('INFO', 'disk ok', 'load'));
		expect(messages(store)).toEqual(['[extract] timeout talking to db', '[load] disk full']);
	});

	it('does not match the label a pane hides (its own task)', () => {
		const store = storeWithLines({ownLabel: 'extract'});
		store.setFilter('extract');
		// "[extract]" is not on screen in the task/extract pane; only the line that says it matches.
		expect(messages(store)).toEqual(['[load] extract done']);
	});

	it('searches the level word too, and marks it on screen', () => {
		const store = storeWithLines();
		store.setSearch('ERROR');
		expect(store.hitCount).toBe(1);
		expect(store.jumpToMatch(1, true)).not.toBe('none');
		expect(store.cursorLine()?.message).toBe('timeout talking to db');
		const rows = logRows(store);
		expect(rows.map((row) => Boolean(row.levelHit))).toEqual([false, true, false, false]);
	});
});

function compiled(text: string, allowExclude = false) {
	const {pattern, error} = compilePattern(text, {allowExclude});
	if (!pattern) {
		throw new Error(`expected ${text} to compile, got ${error}`);
	}

	return pattern;
}

const line = (message: string, level: Level = 'INFO', label?: string) => toPaneLine(record(level, message, label));

describe('the pattern engine: linear in the text', () => {
	it('answers (a+)+$ on a line of 40 a at once (V8 backtracks for minutes)', () => {
		// No stopwatch: on V8's backtracking engine this call does not return for minutes, and vitest's
		// timeout fails the test; a time bound here would only flake on a loaded machine.
		const pattern = compiled('(a+)+$');
		expect(patternHits(pattern, line(`${'a'.repeat(40)}!`))).toBe(false);
		expect(patternHits(pattern, line('a'.repeat(40)))).toBe(true);
	});

	it('matches a long line in time linear in it (V8 takes minutes on 30 x)', () => {
		// Exponential on a backtracking engine (it never returns); linear on RE2. No stopwatch, as above.
		const pattern = compiled('(x+x+)+y');
		expect(pattern.test('x'.repeat(100_000))).toBe(false);
	});

	it('refuses backreferences and lookarounds, naming them', () => {
		expect(compilePattern(String.raw`(a)\1`, {allowExclude: false}).error).toMatch(/^backreference \\1 is not supported: patterns match in linear time/);
		expect(compilePattern(String.raw`(?<n>a)\k<n>`, {allowExclude: false}).error).toMatch(/^backreference \\k<…> is not supported/);
		expect(compilePattern('(?=a)b', {allowExclude: false}).error).toMatch(/^lookahead \(\?= is not supported/);
		expect(compilePattern('!(?!a)b', {allowExclude: true}).error).toMatch(/^lookahead \(\?! is not supported/);
		expect(compilePattern('(?<=a)b', {allowExclude: false}).error).toMatch(/^lookbehind \(\?<= is not supported/);
		expect(compilePattern('(?<!a)b', {allowExclude: false}).error).toMatch(/^lookbehind \(\?<! is not supported/);
	});

	it('says what is wrong with a malformed pattern in one line', () => {
		expect(compilePattern('retry(', {allowExclude: false}).error).toBe('invalid regex: missing closing ): `retry(`');
		expect(compilePattern('[a', {allowExclude: false}).error).toBe('invalid regex: missing closing ]: `[a`');
		expect(compilePattern('a**', {allowExclude: false}).error).toMatch(/^invalid regex: invalid nested repetition operator/);
	});

	it('takes the JavaScript spellings RE2 lacks', () => {
		expect(compiled(String.raw`caf\u00e9`).test('café')).toBe(true);
		expect(compiled(String.raw`\u{1F600}`).test('a 😀')).toBe(true);
		expect(compiled('(?<word>time)out').test('timeout')).toBe(true);
		// A backslash-digit inside a class is no backreference, and escapes keep their meaning.
		expect(compiled(String.raw`\d+ms\b`).test('took 12ms')).toBe(true);
		expect(compiled(String.raw`[\]x]`).test('a]')).toBe(true);
	});

	it('is smart-case on the letters typed, not on escapes', () => {
		expect(compiled('timeout').test('TIMEOUT')).toBe(true);
		expect(compiled('Timeout').test('timeout')).toBe(false);
		expect(compiled('é').test('É')).toBe(true);
		// \S and \D name classes, not capitals: the pattern stays case-insensitive.
		expect(compiled(String.raw`\S+ error`).test('disk ERROR')).toBe(true);
		expect(compiled(String.raw`\p{Lu}x`).test('AX')).toBe(true);
	});

	it('matches the level word, the [label] and the message each on its own', () => {
		const pattern = compiled(String.raw`^\[load\]`);
		expect(matchesShownText(pattern, 'INFO', 'load', 'x')).toBe(true);
		expect(matchesShownText(pattern, 'INFO', 'extract', '[load] x')).toBe(true);
		expect(matchesShownText(pattern, 'INFO', undefined, 'x')).toBe(false);
		expect(filterPasses(compiled('!ERROR', true), line('x', 'ERROR'))).toBe(false);
		expect(filterPasses(compiled('!ERROR', true), line('x', 'WARN'))).toBe(true);
	});

	it('finds the ranges to highlight, empty matches left out', () => {
		expect(compiled('b+').ranges('aabbbcbb', 64)).toEqual([[2, 5], [6, 8]]);
		expect(compiled('x*').ranges('axxb', 64)).toEqual([[1, 3]]);
		expect(compiled('a').ranges('aaaa', 2)).toEqual([[0, 1], [1, 2]]);
		expect(compiled('é').ranges('😀é', 64)).toEqual([[2, 3]]);
	});
});

describe('flat patterns run on V8, and agree with RE2', () => {
	it('finds the same lines and ranges either way', async () => {
		const {RE2JS} = await import('re2js');
		const lines = ['Timeout after 3s', 'status 500 from host-11', '[load] WARN disk', 'ſtatus 200', 'a.b|c', 'café ÉTÉ', 'x/y-z', ''];
		for (const text of ['timeout', 'status 500', 'host-1[0-2]', String.raw`^\[load\]`, 'WARN|ERROR', String.raw`\d\d\d`, 'a.b', String.raw`\bdisk\b`, 'été', 'Café', 'x/y-z', String.raw`\.`]) {
			const re2 = RE2JS.compile(text, /\p{Lu}/u.test(text) ? 0 : RE2JS.CASE_INSENSITIVE);
			const pattern = compiled(text);
			for (const each of lines) {
				expect(pattern.test(each), `${text} on ${each}`).toBe(re2.test(each));
			}
		}

		expect(compiled('status').ranges('status: STATUS', 64)).toEqual([[0, 6], [8, 14]]);
	});
});
