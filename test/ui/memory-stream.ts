import {EventEmitter} from 'node:events';
import type {ConnectionState, LogStreamEvents, RunInfo, StreamStats} from '../../source/client/types.js';
import type {PaneStream} from '../../source/model/pane.js';
import type {Level} from '../../source/protocol/levels.js';
import type {LogRecord} from '../../source/protocol/record.js';

/**
 * An in-memory stream of the LogStream shape, so UI tests drive panes with records they construct. The
 * viewer takes its streams from a factory; this is that seam, not a stand-in for a feature.
 */
export class MemoryStream extends EventEmitter<LogStreamEvents> implements PaneStream {
	started = false;
	closed = false;
	stats: StreamStats = {reconnects: 0, records: 0, duplicatesDropped: 0, gapsFilled: 0};
	#seq = 0;

	constructor(readonly source: string) {
		super();
	}

	start(): void {
		this.started = true;
	}

	close(): void {
		this.closed = true;
	}

	state(state: ConnectionState): void {
		this.emit('state', state);
	}

	run(run: RunInfo): void {
		this.emit('run', run);
	}

	log(message: string, level: Level = 'INFO', extra: Partial<LogRecord> = {}): void {
		this.#seq++;
		this.stats = {...this.stats, records: this.#seq};
		this.emit('record', {
			id: String(this.#seq),
			seq: this.#seq,
			runId: 'r-1',
			timestamp: new Date().toISOString(),
			level,
			message,
			...extra,
		});
	}
}
