import {describe, expect, it} from 'vitest';
import {meetsFloor, parseLevel} from '../../source/protocol/levels.js';
import {isSafeText, sanitizeInline, sanitizeText} from '../../source/protocol/sanitize.js';
import {formatStreamName, parseStreamName, StreamNameError, streamUrl} from '../../source/protocol/streams.js';
import {formatDuration, parseSince} from '../../source/protocol/time.js';

describe('levels', () => {
	it('reads the spellings servers use', () => {
		expect(parseLevel('warning')).toBe('WARN');
		expect(parseLevel('err')).toBe('ERROR');
		expect(parseLevel('critical')).toBe('FATAL');
		expect(parseLevel('Info')).toBe('INFO');
		expect(parseLevel('loud')).toBeUndefined();
		expect(parseLevel(3)).toBeUndefined();
	});

	it('orders floors', () => {
		expect(meetsFloor('ERROR', 'WARN')).toBe(true);
		expect(meetsFloor('DEBUG', 'INFO')).toBe(false);
		expect(meetsFloor('TRACE', undefined)).toBe(true);
	});
});

describe('stream names', () => {
	it('round-trips every kind', () => {
		for (const name of ['automation/nightly-etl', 'task/extract', 'pipeline/sales-report', 'artifact/report-csv', 'all', 'task/x?run=r-1']) {
			expect(formatStreamName(parseStreamName(name))).toBe(name);
		}
	});

	it('names what is wrong', () => {
		expect(() => parseStreamName('job/x')).toThrow(/unknown source "job\/x"/);
		expect(() => parseStreamName('task/has space')).toThrow(StreamNameError);
		expect(() => parseStreamName('task/')).toThrow(/bad id/);
	});

	it('builds the endpoints of docs/protocol.md', () => {
		expect(streamUrl('http://h:1', parseStreamName('task/extract')).href).toBe('http://h:1/api/automations/tasks/extract/logs?stream=true');
		expect(streamUrl('http://h:1', parseStreamName('all'), {since: '5'}).href).toBe('http://h:1/api/logs/stream?since=5');
	});
});

describe('sanitize', () => {
	it('neutralizes CSI, OSC, BEL, C1 and bidi controls but keeps tab and newline', () => {
		const hostile = 'a\u001B[31mred\u001B]0;title\u0007 \u009B2J \u202Eevil\tb\nc\r\nd\re';
		const safe = sanitizeText(hostile);
		expect(isSafeText(safe)).toBe(true);
		expect(safe).toBe('a␛[31mred␛]0;title␇ \\u009b2J \\u202eevil\tb\nc\nd␍e');
		expect(sanitizeInline('x\ny\tz')).toBe('x␤y z');
	});

	it('drops the CR of CRLF and at the end, and shows a CR inside a line instead of breaking it', () => {
		expect(sanitizeText('deploy ok\r')).toBe('deploy ok');
		expect(sanitizeText('one\r\ntwo\r\n')).toBe('one\ntwo\n');
		expect(sanitizeText('10%\r50%\r100%')).toBe('10%␍50%␍100%');
		expect(sanitizeText('stuck\r\r\n')).toBe('stuck\n');
	});
});

describe('time', () => {
	it('reads durations back from now and ISO times', () => {
		expect(parseSince('5m', 600_000)?.getTime()).toBe(300_000);
		expect(parseSince('2026-11-22T10:30:45.123Z')?.toISOString()).toBe('2026-11-22T10:30:45.123Z');
		expect(parseSince('yesterday')).toBeUndefined();
	});

	it('formats durations', () => {
		expect(formatDuration(133_000)).toBe('2m13s');
		expect(formatDuration(850)).toBe('850ms');
		expect(formatDuration(3_720_000)).toBe('1h02m');
	});
});
