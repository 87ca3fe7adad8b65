import {describe, expect, it} from 'vitest';
import {RecordFilter} from '../../source/follow/record-filter.js';
import {compilePattern, filterPasses} from '../../source/model/line-pattern.js';
import {toPaneLine} from '../../source/model/pane-line.js';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';

function record(level: Level, message: string, taskId?: string): LogRecord {
	return {id: '1', seq: 1, runId: 'r-1', timestamp: '2026-11-22T10:00:00Z', level, message, taskId};
}

const records = [
	record('INFO', 'connect ok', 'extract'),
	record('ERROR', 'timeout talking to db', 'extract'),
	record('WARN', 'retry scheduled', 'load'),
	record('INFO', 'error budget ok'),
];

const including = (pattern: string) => new RecordFilter(undefined, [RecordFilter.compile(pattern)], []);
const excluding = (pattern: string) => new RecordFilter(undefined, [], [RecordFilter.compile(pattern)]);
const kept = (filter: RecordFilter) => records.filter((each) => filter.accepts(each)).map((each) => each.message);

describe('follow --filter / --exclude on the line as printed', () => {
	it('--filter ERROR keeps the ERROR lines though their message does not say it', () => {
		expect(kept(including('ERROR'))).toEqual(['timeout talking to db']);
		// Smart case: lower case also finds the word in a message.
		expect(kept(including('error'))).toEqual(['timeout talking to db', 'error budget ok']);
	});

	it('--exclude drops by level word', () => {
		expect(kept(excluding('INFO'))).toEqual(['timeout talking to db', 'retry scheduled']);
	});

	it('matches the [label] as printed, and anchors on the message', () => {
		expect(kept(including(String.raw`^\[load\]`))).toEqual(['retry scheduled']);
		expect(kept(including('^timeout'))).toEqual(['timeout talking to db']);
	});
});

describe('follow and the viewer agree', () => {
	it('keep the same lines for the same pattern', () => {
		const patterns = ['ERROR', 'error', 'INFO', '!INFO', String.raw`\[extract\]`, '^retry', 'ok$', '!^conn', 'WARN|ERROR'];
		for (const text of patterns) {
			const exclude = text.startsWith('!');
			const regex = RecordFilter.compile(exclude ? text.slice(1) : text);
			const follow = new RecordFilter(undefined, exclude ? [] : [regex], exclude ? [regex] : []);
			const {pattern} = compilePattern(text, {allowExclude: true});
			const viewer = records.map((each) => filterPasses(pattern, toPaneLine(each)));
			expect(records.map((each) => follow.accepts(each)), text).toEqual(viewer);
		}
	});
});
