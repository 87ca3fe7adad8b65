import {EventEmitter} from 'node:events';
import type {ConnectionState, LogStreamEvents, RunInfo, StreamStats} from '../../source/client/types.js';
import type {PaneStream} from '../../source/model/pane.js';
import {Workspace, type WorkspaceOptions} from '../../source/model/workspace.js';
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

/**
 * A real Workspace whose panes read MemoryStreams (one per source opened, found by `stream(source)`), on a
 * server URL of no consequence: the workspace the viewer's model and UI tests drive.
 */
export function memoryWorkspace(options: Omit<WorkspaceOptions, 'factory'> = {}) {
	const streams = new Map<string, MemoryStream>();
	const workspace = new Workspace({
		server: 'http://dbtail.test',
		...options,
		factory(source) {
			const stream = new MemoryStream(source);
			streams.set(source, stream);
			return stream;
		},
	});
	return {workspace, streams, stream: (source: string) => streams.get(source)!};
}
