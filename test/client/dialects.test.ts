import {afterEach, describe, expect, it} from 'vitest';
import {rawText} from '../../source/client/dialects/fields.js';
import {decoders, detectDialect, type SseMessage} from '../../source/client/dialects/index.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {isSafeText} from '../../source/protocol/sanitize.js';
import {startHostileServer, type HostileServer} from '../helpers/hostile-sse-server.js';
import {collect} from './collect.js';

/* Every server's way of saying the same three lines becomes the same records. */

const lines = [
	{timestamp: '2026-11-22T10:30:45.123Z', level: 'INFO', message: 'Task 1 of 3: data_sync'},
	{timestamp: '2026-11-22T10:30:46.500Z', level: 'WARN', message: 'retrying\nattempt 2'},
	{timestamp: '2026-11-22T10:31:00.000Z', level: 'ERROR', message: 'failed: \u001B[31mboom\u0007'},
] as const;

const wire = {
	dbtail: lines.map((line, index): SseMessage => ({
		id: String(index + 1),
		data: JSON.stringify({type: 'log', data: {id: String(index + 1), seq: index + 1, runId: 'r-1', ...line, taskId: 'extract'}}),
	})),
	stratal: lines.map((line): SseMessage => ({
		event: 'log',
		data: JSON.stringify({
			job_run_id: 'a1b2',
			task_run_id: 'b2c3',
			timestamp: line.timestamp,
			level: line.level.toLowerCase(),
			stream: 'stdout',
			message: line.message,
			task_name: 'extract',
		}),
	})),
	datashop: lines.map((line, index): SseMessage => {
		// The three shapes seed 002 shows: isoTime, meta.timestamp in ms with logLevel, and both.
		const time = [{isoTime: line.timestamp}, {meta: {timestamp: Date.parse(line.timestamp)}}, {isoTime: line.timestamp}][index];
		const level = index === 1 ? {logLevel: line.level} : {level: line.level};
		return {
			id: String(index + 1),
			data: JSON.stringify({date: 'Nov 22 2026 at 10:30 AM', ...level, pipeline: 'l5-etl', status: 'running', message: line.message, ...time}),
		};
	}),
	generic: lines.map((line, index): SseMessage => ({
		data: JSON.stringify(
			[
				{msg: line.message, severity: 'info', '@timestamp': line.timestamp},
				{text: line.message, lvl: 'warning', ts: Date.parse(line.timestamp) / 1000},
				{description: line.message, logLevel: 'err', time: line.timestamp},
			][index],
		),
	})),
};

const essentials = (record: LogRecord) => ({timestamp: record.timestamp, level: record.level, message: record.message});
const expected = lines.map((line) => ({...line, message: line.message.replace('\u001B', '\u241B').replace('\u0007', '\u2407')}));

describe('dialects', () => {
	it.each(Object.keys(wire) as Array<keyof typeof wire>)('%s decodes to the same records, sanitized', (dialect) => {
		const records = wire[dialect].map((message) => {
			const decoded = decoders[dialect](message, 0);
			expect(decoded.kind).toBe('record');
			return (decoded as {record: LogRecord}).record;
		});
		expect(records.map(essentials)).toEqual(expected);
		expect(records.every((record) => isSafeText(record.message))).toBe(true);
		expect(detectDialect(wire[dialect][0]!)).toBe(dialect);
	});

	it('maps each dialect\'s own fields: run, task and pipeline', () => {
		expect(decoders.stratal(wire.stratal[0]!, 0)).toMatchObject({record: {runId: 'a1b2', taskId: 'extract', stream: 'stdout'}});
		expect(decoders.datashop(wire.datashop[0]!, 0)).toMatchObject({record: {id: '1', pipelineId: 'l5-etl', metadata: {status: 'running'}}});
	});

	it('reads Datashop\'s display date when it is the only time, and plain text data as the message', () => {
		const only = decoders.datashop({data: JSON.stringify({date: 'Sep 22 2025 at 08:54 PM', level: 'INFO', message: 'hi'})}, 0);
		expect(only).toMatchObject({record: {timestamp: '2025-09-22T20:54:00.000Z'}});
		const text = decoders.generic({data: 'plain \u001B[2J text'}, Date.parse('2026-01-01T00:00:00Z'));
		expect(text).toMatchObject({record: {message: 'plain \u241B[2J text', level: 'INFO', timestamp: '2026-01-01T00:00:00.000Z'}});
	});

	it.each([
		['level=warn disk is 91% full', 'WARN'],
		['time=2026-11-22T10:30:00Z level=ERROR msg="copy failed"', 'ERROR'],
		['ts=1 lvl=debug msg=tick', 'DEBUG'],
		['severity="Critical" component=db', 'FATAL'],
		['msg=hi, level=warning', 'WARN'],
		['msg="level=error is what we grep for" x=1', 'INFO'],
		['xlevel=error but not a level key', 'INFO'],
		['level=loud', 'INFO'],
		['nothing to see here', 'INFO'],
	])('reads the logfmt level of the plain-text line %j', (data, level) => {
		expect(decoders.generic({data}, 0)).toMatchObject({record: {level, message: data}});
	});

	it.each(Object.keys(wire) as Array<keyof typeof wire>)('%s keeps the message as sent when asked (for --json), and ids and labels neutralized', (dialect) => {
		const hostile = {...wire[dialect][2]!, id: '3\u001B]0;x\u0007'};
		const decoded = decoders[dialect](hostile, 0, rawText);
		expect(decoded).toMatchObject({record: {message: lines[2].message}});
		const record = (decoded as {record: LogRecord}).record;
		expect(record.id === undefined || isSafeText(record.id)).toBe(true);
		expect(decoders[dialect](hostile, 0)).toMatchObject({record: {message: expected[2]!.message}});
	});
});

let server: HostileServer | undefined;
afterEach(async () => {
	await server?.close();
	server = undefined;
});

describe('LogStream on other servers\' URLs', () => {
	it('detects Stratal from named `log` events and follows it until closed', async () => {
		server = await startHostileServer({
			records: 30,
			hello: false,
			frame: (record) =>
				`event: log\ndata: ${JSON.stringify({job_run_id: 'j1', timestamp: record.timestamp, level: 'warn', message: record.message})}\n\n`,
		});
		const run = collect({source: `${server.url}/api/v1/logs/stream/sse?job_run_id=j1`});
		run.stream.start();
		await run.until(() => run.records.length === 30, 10_000, '30 records');
		run.stream.close();
		expect(run.records.map((record) => record.message)).toEqual(server.records.map((record) => record.message));
		expect(run.records.every((record) => record.level === 'WARN' && record.runId === 'j1')).toBe(true);
	});

	it('detects Datashop, resumes it by Last-Event-ID across disconnects, and says so', async () => {
		server = await startHostileServer({
			records: 400,
			hello: false,
			disconnectAfterBytes: [2000, 9000],
			overlap: 3,
			retries: [5000],
			frame: (record) =>
				`id: ${record.id}\nretry: 1\ndata: ${JSON.stringify({date: 'Nov 22 2026 at 10:30 AM', level: 'INFO', pipeline: 'p', message: record.message, isoTime: record.timestamp})}\n\n:ping\n\n`,
		});
		const run = collect({source: `${server.url}/logs/stream`});
		run.stream.start();
		await run.until(() => run.records.length >= 400, 20_000, '400 records');
		run.stream.close();
		expect(run.records.map((record) => record.id)).toEqual(server.records.map((record) => record.id));
		expect(run.notices).toContainEqual({kind: 'dialect', message: 'reading the datashop dialect'});
		expect(server.requests.slice(1).every((request) => /^\d+$/.test(String(request.headers['last-event-id'])))).toBe(true);
	});
});
