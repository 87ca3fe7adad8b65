import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';
import {EXIT, worstExit} from '../../source/follow/exit-status.js';
import {formatJson, LineFormatter} from '../../source/follow/line-format.js';
import {isSourceGlob, matchSourceGlob, parseSourceGlob} from '../../source/follow/source-glob.js';
import {entityLook} from '../../source/model/look.js';
import type {Catalog} from '../../source/protocol/api.js';
import type {LogRecord} from '../../source/protocol/record.js';

/* The parts of `dbtail follow a b 'c-*'` that need no server: the [source] prefix, globs, the worst exit. */

const record: LogRecord = {id: '1', timestamp: '2026-11-22T10:30:45.123Z', level: 'INFO', message: 'loading', taskId: 'load'};
// eslint-disable-next-line no-control-regex -- ESC starts the color codes this strips
const SGR = /\u001B\[[\d;]*m/g;

describe('the [source] prefix', () => {
	it('comes first on each line, and continuation lines are indented past it', () => {
		const formatter = new LineFormatter({timestamps: 'none', source: 'automation/etl-a'});
		expect(formatter.format(record)).toBe('[automation/etl-a] INFO  [load] loading\n');
		expect(formatter.format({...record, message: 'first\nsecond'})).toBe(`[automation/etl-a] INFO  [load] first\n${' '.repeat(32)}second\n`);
	});

	it('takes the source\'s own color when colors are on, and the same text without them', () => {
		const chalk = new Chalk({level: 1});
		const colored = new LineFormatter({timestamps: 'none', color: chalk, source: 'task/extract'}).format(record);
		const look = entityLook('task/extract');
		expect(colored.startsWith(`${chalk[look.color!]('[task/extract]')} `)).toBe(true);
		expect(colored.replace(SGR, '')).toBe('[task/extract] INFO  [load] loading\n');
		// Two sources whose names hash apart get two colors, the same each time.
		expect(entityLook('automation/a').color).not.toBe(entityLook('automation/b').color);
	});

	it('--timestamps elapsed counts from the first line of any source, not each source\'s own', () => {
		const elapsedOrigin = {};
		const a = new LineFormatter({timestamps: 'elapsed', source: 'task/a', elapsedOrigin});
		const b = new LineFormatter({timestamps: 'elapsed', source: 'task/b', elapsedOrigin});
		expect(a.format(record)).toBe('[task/a]    +0.000s INFO  [load] loading\n');
		expect(b.format({...record, timestamp: '2026-11-22T10:30:47.623Z'})).toBe('[task/b]    +2.500s INFO  [load] loading\n');
	});

	it('is a "source" field first in each JSON record', () => {
		const line = formatJson(record, 'task/load');
		expect(line.startsWith('{"source":"task/load","id":"1"')).toBe(true);
		expect(JSON.parse(line)).toEqual({source: 'task/load', ...record});
		expect(formatJson(record)).toBe(`${JSON.stringify(record)}\n`);
	});
});

describe('source globs', () => {
	const catalog: Catalog = {
		automations: [
			{id: 'etl-1', tasks: ['extract', 'load'], currentRun: null},
			{id: 'etl-22', tasks: ['load', 'report'], currentRun: null},
			{id: 'other', tasks: ['extract'], currentRun: null},
		],
		pipelines: [{id: 'etl-p', artifacts: ['csv'], currentRun: null}],
	};

	it('are sources with * or ? in their id, never URLs and never a ?run= pin', () => {
		expect(isSourceGlob('automation/etl-*')).toBe(true);
		expect(isSourceGlob('task/lo?d')).toBe(true);
		expect(isSourceGlob('task/load?run=r-1')).toBe(false);
		expect(isSourceGlob('http://host/events?x=1')).toBe(false);
		expect(isSourceGlob('all')).toBe(false);
	});

	it('match the catalog\'s names of their kind, each once, in catalog order', () => {
		expect(matchSourceGlob(parseSourceGlob('automation/etl-*'), catalog)).toEqual(['automation/etl-1', 'automation/etl-22']);
		expect(matchSourceGlob(parseSourceGlob('automation/etl-?'), catalog)).toEqual(['automation/etl-1']);
		expect(matchSourceGlob(parseSourceGlob('task/*'), catalog)).toEqual(['task/extract', 'task/load', 'task/report']);
		expect(matchSourceGlob(parseSourceGlob('pipeline/*'), catalog)).toEqual(['pipeline/etl-p']);
		// `.` is a character of an id, not any character.
		expect(matchSourceGlob(parseSourceGlob('automation/etl.1*'), catalog)).toEqual([]);
	});

	it('refuse what they cannot mean, naming it', () => {
		expect(() => parseSourceGlob('*/etl')).toThrow('glob "*/etl" needs a kind before its id');
		expect(() => parseSourceGlob('automation/etl-*?run=r-1')).toThrow('is a glob pinned to a run');
		expect(() => parseSourceGlob('automation/e tl*')).toThrow('bad glob "automation/e tl*"');
	});
});

describe('the exit status of several sources', () => {
	it('is the worst: could not follow, then failed, then ended with no result, then succeeded', () => {
		expect(worstExit([])).toBe(EXIT.succeeded);
		expect(worstExit([0, 0])).toBe(0);
		expect(worstExit([0, 3])).toBe(3);
		expect(worstExit([3, 1, 0])).toBe(1);
		expect(worstExit([1, 2, 3])).toBe(2);
		expect(worstExit([2, 1])).toBe(2);
	});
});
