import {EventEmitter} from 'node:events';
import {describe, expect, it} from 'vitest';
import type {LogStreamEvents, StreamStats} from '../../source/client/types.js';
import {ArrivalRate} from '../../source/model/arrival-rate.js';
import {Pane, type PaneStream} from '../../source/model/pane.js';

class Stream extends EventEmitter<LogStreamEvents> implements PaneStream {
	stats = {reconnects: 0, records: 0, duplicatesDropped: 0, gapsFilled: 0} as StreamStats;
	start(): void {}
	close(): void {}
	/** Ten lines logged `ageMs` before now, arriving now. */
	tenLines(ageMs: number): void {
		for (let n = 0; n < 10; n++) {
			this.emit('record', {timestamp: new Date(Date.now() - ageMs).toISOString(), level: 'INFO', message: `line ${n}`});
		}
	}
}

function paneOn(stream: Stream): Pane {
	return new Pane('task/a', () => stream, {}, () => {});
}

describe('a pane counts lines per second by arrival', () => {
	it('counts live lines whose times are 30 s old', () => {
		const stream = new Stream();
		const pane = paneOn(stream);
		stream.emit('state', {kind: 'live', since: Date.now() - 60_000});
		stream.tenLines(30_000);
		expect(pane.liveRate()).toBe(2);
	});

	it('leaves out the replay: lines logged before the connection was made, however recent', () => {
		const stream = new Stream();
		const pane = paneOn(stream);
		stream.emit('state', {kind: 'live', since: Date.now()});
		stream.tenLines(3_600_000);
		stream.tenLines(8000);
		expect(pane.liveRate()).toBe(0);
		stream.tenLines(0);
		expect(pane.liveRate()).toBe(2);
	});

	it('averages over its window of whole seconds, and forgets what is older', () => {
		const rate = new ArrivalRate(5);
		for (let n = 0; n < 10; n++) {
			rate.add(10_000 + n * 100);
		}

		expect(rate.perSecond(10_900)).toBe(2);
		expect(rate.perSecond(14_999)).toBe(2);
		expect(rate.perSecond(15_000)).toBe(0);
	});
});
