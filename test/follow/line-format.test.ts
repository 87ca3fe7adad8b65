import {Chalk} from 'chalk';
import {describe, expect, it} from 'vitest';
import {decoders} from '../../source/client/dialects/index.js';
import {formatJson, formatOffset, LineFormatter} from '../../source/follow/line-format.js';
import {entityLook} from '../../source/model/look.js';
import {RecordFilter} from '../../source/follow/record-filter.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {RAW_CONTROL} from '../helpers/raw-control.js';

const record: LogRecord = {
	id: '1',
	timestamp: '2026-11-22T10:30:45.123Z',
	level: 'INFO',
	message: 'Task 1 of 3: data_sync',
	taskId: 'extract',
};

/** Hostile text as it arrives on the wire, made a record the only way records are made. */
function fromWire(message: string, taskId = 'extract'): LogRecord {
	const data = JSON.stringify({type: 'log', data: {...record, message, taskId}});
	return (decoders.dbtail({data}, 0) as {record: LogRecord}).record;
}

const hostile =
	'osc \u001B]0;pwned\u0007 osc52 \u001B]52;c;ZXZpbA==\u001B\\ csi \u001B[2J\u001B[31m bel \u0007 c1 \u009B31m \u0085 del \u007F cr\rover';
// eslint-disable-next-line no-control-regex -- ESC starts the color codes this strips
const SGR = /\u001B\[[\d;]*m/g;

describe('follow line format', () => {
	it('prints time, padded level, [label] and message', () => {
		const formatter = new LineFormatter({timestamps: 'iso'});
		expect(formatter.format(record)).toBe('2026-11-22T10:30:45.123Z INFO  [extract] Task 1 of 3: data_sync\n');
		expect(formatter.format({...record, taskId: undefined, level: 'WARN'})).toBe('2026-11-22T10:30:45.123Z WARN  Task 1 of 3: data_sync\n');
	});

	it('indents continuation lines under the message', () => {
		const formatter = new LineFormatter({timestamps: 'none'});
		expect(formatter.format({...record, message: 'first\nsecond'})).toBe('INFO  [extract] first\n                second\n');
	});

	it('shows absolute as the local clock with ms, as the viewer does', () => {
		const line = new LineFormatter({timestamps: 'absolute'}).format(record);
		expect(line).toMatch(/^(\d{4}-\d\d-\d\d )?\d\d:\d\d:\d\d\.123 INFO {2}\[extract\]/);
	});

	it('shows elapsed times from the first record', () => {
		const formatter = new LineFormatter({timestamps: 'elapsed'});
		formatter.format(record);
		expect(formatter.format({...record, timestamp: '2026-11-22T10:32:47.623Z'})).toMatch(/^\+2m02\.500s INFO {2}/);
		expect(formatOffset(1234)).toBe('+1.234s');
	});

	it('prints OSC, CSI, BEL and C1 sequences with no raw control byte, without color', () => {
		const line = new LineFormatter({timestamps: 'absolute'}).format(fromWire(hostile, 'ta\u001B[5msk'));
		expect(line).not.toMatch(RAW_CONTROL);
		expect(line).toContain('osc ␛]0;pwned␇');
		// A CR inside the line is shown (␍), not turned into a line break: one line and its newline.
		expect(line).toContain('cr␍over');
		expect(line.split('\n')).toHaveLength(2);
	});

	it('prints them with no raw control byte but its own color codes, in color', () => {
		const line = new LineFormatter({timestamps: 'absolute', color: new Chalk({level: 3})}).format(fromWire(hostile));
		expect(line).toMatch(SGR);
		expect(line.replaceAll(SGR, '')).not.toMatch(RAW_CONTROL);
	});

	it('--json is the record on one line, escapes included', () => {
		const line = formatJson(fromWire(hostile));
		expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
		expect(line).not.toMatch(RAW_CONTROL);
		expect(JSON.parse(line)).toMatchObject({id: '1', level: 'INFO', taskId: 'extract'});
	});
});

describe('follow all: whose each line is', () => {
	const load: LogRecord = {...record, automationId: 'nightly-etl', taskId: 'load'};
	const report: LogRecord = {...record, pipelineId: 'sales-report', taskId: undefined, artifactId: 'report-csv'};

	it('prefixes [automation/task] or [pipeline/artifact], or the entity alone, as the viewer does', () => {
		const formatter = new LineFormatter({timestamps: 'none', withEntity: true});
		expect(formatter.format(load)).toBe('INFO  [nightly-etl/load] Task 1 of 3: data_sync\n');
		expect(formatter.format(report)).toBe('INFO  [sales-report/report-csv] Task 1 of 3: data_sync\n');
		expect(formatter.format({...load, taskId: undefined})).toBe('INFO  [nightly-etl] Task 1 of 3: data_sync\n');
		expect(formatter.format({...load, message: 'a\nb'})).toBe('INFO  [nightly-etl/load] a\n                         b\n');
	});

	it('colors the label by its entity, the same entity the same color, stern-style', () => {
		const chalk = new Chalk({level: 1});
		const formatter = new LineFormatter({timestamps: 'none', withEntity: true, color: chalk});
		const color = entityLook('nightly-etl').color!;
		expect(formatter.format(load)).toBe(`INFO  ${chalk[color]('[nightly-etl/load]')} Task 1 of 3: data_sync\n`);
		expect(formatter.format({...load, taskId: 'extract'})).toContain(chalk[color]('[nightly-etl/extract]'));
		expect(formatter.format(report)).toContain(chalk[entityLook('sales-report').color!]('[sales-report/report-csv]'));
		// Five hues, chosen by the name: two entities of a handful do not all share one.
		const hues = new Set(['nightly-etl', 'sales-report', 'ingest', 'backup', 'billing'].map((name) => entityLook(name).color));
		expect(hues.size).toBeGreaterThan(1);
	});

	it('leaves the lines of every other stream byte for byte as they were', () => {
		const chalk = new Chalk({level: 1});
		for (const color of [undefined, chalk]) {
			const plain = new LineFormatter({timestamps: 'iso', color});
			const told = new LineFormatter({timestamps: 'iso', color, withEntity: false});
			expect(told.format(load)).toBe(plain.format(load));
		}

		expect(new LineFormatter({timestamps: 'none', color: chalk}).format(load)).toBe(`INFO  ${chalk.cyan('[load]')} Task 1 of 3: data_sync\n`);
		expect(new LineFormatter({timestamps: 'none'}).format(load)).toBe('INFO  [load] Task 1 of 3: data_sync\n');
	});

	it('--filter and --exclude match the label as printed, entity included', () => {
		const filter = new RecordFilter(undefined, [RecordFilter.compile('^\\[nightly-etl/')], [], undefined, true);
		expect(filter.accepts(load)).toBe(true);
		expect(filter.accepts(report)).toBe(false);
		expect(new RecordFilter(undefined, [RecordFilter.compile('^\\[nightly-etl/')], []).accepts(load)).toBe(false);
	});
});

describe('follow filter', () => {
	it('applies the level floor, --filter (any) and --exclude (none), smart-case, on [label] message', () => {
		const filter = new RecordFilter('INFO', [RecordFilter.compile('sync'), RecordFilter.compile('^\\[load')], [RecordFilter.compile('Skip')]);
		expect(filter.accepts(record)).toBe(true);
		expect(filter.accepts({...record, message: 'DATA_SYNC'})).toBe(true);
		expect(filter.accepts({...record, level: 'DEBUG'})).toBe(false);
		expect(filter.accepts({...record, message: 'other'})).toBe(false);
		expect(filter.accepts({...record, message: 'other', taskId: 'load'})).toBe(true);
		expect(filter.accepts({...record, message: 'sync: Skip'})).toBe(false);
		expect(filter.accepts({...record, message: 'sync: skip'})).toBe(true);
	});

	it('drops records older than --since (for servers that cannot start at a time)', () => {
		const filter = new RecordFilter(undefined, [], [], Date.parse('2026-11-22T10:30:45.000Z'));
		expect(filter.accepts(record)).toBe(true);
		expect(filter.accepts({...record, timestamp: '2026-11-22T10:30:44.999Z'})).toBe(false);
	});
});
