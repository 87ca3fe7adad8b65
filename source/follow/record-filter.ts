import {compilePattern, matchesShownText, type LinePattern} from '../model/line-pattern.js';
import {meetsFloor, type Level} from '../protocol/levels.js';
import type {LogRecord} from '../protocol/record.js';
import {shownLabel} from './line-format.js';

/**
 * `--level`, `--filter` (any must match) and `--exclude` (none may match), on the line as printed: its
 * level word, `[label]` or message, each on its own, as the viewer's `/` filter matches them (so
 * `--filter ERROR` keeps the ERROR lines). The viewer's patterns: linear-time, smart-case.
 */
export class RecordFilter {
	constructor(
		readonly level: Level | undefined,
		readonly include: LinePattern[],
		readonly exclude: LinePattern[],
		/** Epoch ms: older records are dropped (servers other than dbtail cannot start at a time). */
		readonly since?: number,
		/** The stream mixes entities (`all`): the label matched is `[entity/task]`, as printed. */
		readonly withEntity = false,
	) {}

	/** The viewer's pattern language (model/line-pattern.ts), without its `!`: the flag says which. */
	static compile(text: string): LinePattern {
		const {pattern, error} = compilePattern(text, {allowExclude: false});
		if (!pattern) {
			throw new Error(error ?? 'an empty pattern matches every line');
		}

		return pattern;
	}

	/** The same filter for a source that mixes entities (`all`) or not, when several are followed. */
	forSource(withEntity: boolean): RecordFilter {
		return withEntity === this.withEntity ? this : new RecordFilter(this.level, this.include, this.exclude, this.since, withEntity);
	}

	accepts(record: LogRecord): boolean {
		if (!meetsFloor(record.level, this.level)) {
			return false;
		}

		if (this.since !== undefined && Date.parse(record.timestamp) < this.since) {
			return false;
		}

		if (this.include.length === 0 && this.exclude.length === 0) {
			return true;
		}

		const {label} = shownLabel(record, this.withEntity);
		const shows = (pattern: LinePattern) => matchesShownText(pattern, record.level, label, record.message);
		return (this.include.length === 0 || this.include.some(shows)) && !this.exclude.some(shows);
	}
}
