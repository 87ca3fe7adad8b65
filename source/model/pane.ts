import type {ConnectionState, LogStreamEvents, RunInfo, StreamStats} from '../client/types.js';
import {RateMeter} from '../client/rate.js';
import {parseStreamName} from '../protocol/streams.js';
import {PaneStore, type PaneStoreOptions} from './pane-store.js';

/**
 * The part of LogStream a pane uses. The viewer takes a factory for it, so the UI tests drive panes
 * with an in-memory emitter of this shape while the command passes the real LogStream.
 */
export type PaneStream = {
	on<E extends keyof LogStreamEvents>(event: E, listener: (...args: LogStreamEvents[E]) => void): unknown;
	start(): void;
	close(): void;
	/** Cuts a reconnect wait short (`r`); streams that cannot are left as they are. */
	reconnectNow?(): void;
	readonly stats: StreamStats;
};

export type StreamFactory = (source: string) => PaneStream;

let nextPaneId = 1;

/** A line logged longer ago than this when it arrives is history (a replay), not live traffic. */
const LIVE_MS = 10_000;

/** The task or artifact id a source names, whose records need no `[label]` in this pane. */
function ownLabelOf(source: string): string | undefined {
	try {
		const ref = parseStreamName(source);
		return ref.kind === 'task' || ref.kind === 'artifact' ? ref.id : undefined;
	} catch {
		return undefined;
	}
}

/** One pane: a source, its stream, and the store its records land in. */
export class Pane {
	readonly id = nextPaneId++;
	readonly store: PaneStore;
	connection: ConnectionState = {kind: 'connecting', attempt: 1};
	run?: RunInfo;
	readonly #stream: PaneStream;
	/** Lines logged in the last few seconds that arrive now: history replayed on open is not throughput. */
	readonly #live = new RateMeter();

	constructor(
		readonly source: string,
		factory: StreamFactory,
		options: PaneStoreOptions,
		onChange: () => void,
	) {
		this.store = new PaneStore({...options, ownLabel: ownLabelOf(source), withEntity: source.trim().startsWith('all')});
		this.#stream = factory(source);
		this.#stream.on('record', (record) => {
			this.store.append(record);
			if (Date.now() - Date.parse(record.timestamp) < LIVE_MS) {
				this.#live.add();
			}

			// Until the stream says which run it follows, the first record tells (`all` follows no one run).
			if (!this.run && record.runId && source !== 'all') {
				this.run = {runId: record.runId, status: 'running'};
			}

			onChange();
		});
		this.#stream.on('state', (state) => {
			this.connection = state;
			onChange();
		});
		this.#stream.on('run', (run) => {
			this.run = run;
			onChange();
		});
		this.#stream.on('notice', (notice) => {
			this.store.appendNotice(notice.message);
			onChange();
		});
	}

	get stats(): StreamStats {
		return this.#stream.stats;
	}

	/** Live lines per second: those logged within the last few seconds of their arrival. */
	liveRate(now = Date.now()): number {
		return this.#live.perSecond(now);
	}

	start(): void {
		this.#stream.start();
	}

	/** `r`: reconnect now, whatever the backoff was waiting for. */
	reconnect(): void {
		this.#stream.reconnectNow?.();
	}

	close(): void {
		this.#stream.close();
	}
}
