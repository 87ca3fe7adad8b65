import {describe, expect, it} from 'vitest';
import {RecordSequencer, type SequencerHost} from '../../source/client/record-sequencer.js';
import type {StreamNotice} from '../../source/client/types.js';
import type {LogRecord} from '../../source/protocol/record.js';
import {makeRecords} from '../helpers/hostile-sse-server.js';

/* Gap fills that fail: one reconnect per gap to get the range resent, and never a reconnect loop. */

const records = makeRecords(20);

/** Record `seq` of run r-1 as the dbtail dialect sends it. */
function message(seq: number) {
	const record = records[seq - 1]!;
	return {id: record.id, data: JSON.stringify({type: 'log', data: record})};
}

function sequencer() {
	const delivered: number[] = [];
	const notices: StreamNotice[] = [];
	const reconnects: string[] = [];
	const host: SequencerHost = {
		deliver: (record: LogRecord) => delivered.push(record.seq!),
		duplicate() {},
		event() {},
		dialectDetected() {},
		fill: async () => Promise.reject(new Error('history is down')),
		gapFilled() {},
		notice: (kind, text) => notices.push({kind, message: text}),
		reconnect: (reason) => reconnects.push(reason),
	};
	const sequencer = new RecordSequencer(host, true, 'dbtail');
	const push = async (generation: number, ...seqs: number[]) => {
		for (const seq of seqs) {
			sequencer.push(generation, message(seq));
		}

		// The failed fill settles in microtasks: all of them have run by the next macrotask.
		await new Promise((resolve) => setImmediate(resolve));
	};

	return {push, delivered, notices, reconnects};
}

describe('RecordSequencer, when history cannot fill a gap', () => {
	it('reconnects once per gap: a connection that resumed fine gives the next gap its own retry', async () => {
		const {push, delivered, notices, reconnects} = sequencer();
		await push(1, 1, 2, 5);
		expect(reconnects).toHaveLength(1);
		await push(2, 3, 4, 5, 6, 9);
		expect(delivered).toEqual([1, 2, 3, 4, 5, 6]);
		expect(reconnects).toHaveLength(2);
		expect(notices.filter((notice) => notice.kind === 'lines-missing')).toEqual([]);
		await push(3, 7, 8, 9);
		expect(delivered).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
	});

	it('reports a gap that comes back on the retry connection instead of reconnecting again', async () => {
		const {push, delivered, notices, reconnects} = sequencer();
		await push(1, 1, 2, 5);
		await push(2, 5, 6);
		expect(reconnects).toHaveLength(1);
		expect(delivered).toEqual([1, 2, 5, 6]);
		expect(notices).toContainEqual({kind: 'lines-missing', message: '2 line(s) of run r-1 (seq 3-4) are missing: history is down'});
	});
});

describe('RecordSequencer, event by event', () => {
	function detecting() {
		const delivered: LogRecord[] = [];
		const notices: StreamNotice[] = [];
		const host: SequencerHost = {
			deliver: (record: LogRecord) => delivered.push(record),
			duplicate() {},
			event() {},
			dialectDetected() {},
			fill: async () => [],
			gapFilled() {},
			notice: (kind, text) => notices.push({kind, message: text}),
			reconnect() {},
		};
		return {sequencer: new RecordSequencer(host, false, undefined), delivered, notices};
	}

	it('treats blank data alike before and after the dialect is known: never a line', () => {
		const {sequencer, delivered} = detecting();
		sequencer.push(1, {data: '   '});
		sequencer.push(1, {data: 'first'});
		sequencer.push(1, {data: ' \t '});
		sequencer.push(1, {data: 'second'});
		expect(delivered.map((record) => record.message)).toEqual(['first', 'second']);
	});

	it('shows what its dialect cannot read as plain text, and says so once', () => {
		const {sequencer, delivered, notices} = detecting();
		for (const data of ['plain one', '{"no":"message field"}', 'plain two']) {
			sequencer.push(1, {event: 'log', data});
		}

		expect(delivered.map((record) => record.message)).toEqual(['plain one', '{"no":"message field"}', 'plain two']);
		expect(notices.filter((notice) => notice.kind === 'unreadable')).toHaveLength(1);
	});

	it('moves the resume point on an id that came with no record, forward only, and clears it on an empty id', () => {
		const {sequencer, delivered} = detecting();
		sequencer.push(1, {id: '5', data: 'a'});
		sequencer.pushIdOnly(1, '9');
		expect(sequencer.gate.lastId).toBe('9');
		sequencer.pushIdOnly(1, '3');
		expect(sequencer.gate.lastId).toBe('9');
		sequencer.push(1, {event: 'ping', id: '12', data: '{}'});
		expect(sequencer.gate.lastId).toBe('12');
		sequencer.pushIdOnly(1, '');
		expect(sequencer.gate.lastId).toBeUndefined();
		// A reset server's ids may start over: they are new lines, not duplicates.
		sequencer.push(1, {id: '1', data: 'b'});
		expect(delivered.map((record) => record.message)).toEqual(['a', 'b']);
	});
});
