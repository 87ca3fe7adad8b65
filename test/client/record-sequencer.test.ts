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
