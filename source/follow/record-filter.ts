import {matchesShownText} from '../model/line-pattern.js';
import {meetsFloor, type Level} from '../protocol/levels.js';
import {recordLabel, type LogRecord} from '../protocol/record.js';

/**
 * `--level`, `--filter` (any must match) and `--exclude` (none may match), on the line as printed: its
 * level word, `[label]` or message, each on its own, as the viewer's `/` filter matches them (so
 * `--filter ERROR` keeps the ERROR lines). Patterns are smart-case, as in ripgrep: case-insensitive unless
 * they contain an upper-case letter.
 */
export class RecordFilter {
	constructor(
		readonly level: Level | undefined,
		readonly include: RegExp[],
		readonly exclude: RegExp[],
		/** Epoch ms: older records are dropped (servers other than dbtail cannot start at a time). */
		readonly since?: number,
	) {}

	static compile(pattern: string): RegExp {
		return new RegExp(pattern, /\p{Lu}/u.test(pattern) ? 'u' : 'iu');
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

		const label = recordLabel(record);
		const shows = (re: RegExp) => matchesShownText(re, record.level, label, record.message);
		return (this.include.length === 0 || this.include.some(shows)) && !this.exclude.some(shows);
	}
}
