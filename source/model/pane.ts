import type {HistoryReader} from '../client/history.js';
import type {ConnectionState, LogStreamEvents, RunInfo, StreamStats} from '../client/types.js';
import type {LogRecord} from '../protocol/record.js';
import {parseStreamName} from '../protocol/streams.js';
import {ArrivalRate} from './arrival-rate.js';
import {runEndText} from './connection-text.js';
import {HistoryPager} from './history-pager.js';
import {PaneAttention} from './pane-attention.js';
import {PaneStore, type PaneStoreOptions} from './pane-store.js';
import type {RunEntity, RunPin} from './run-access.js';

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

/** What a pane reads: its live stream, and beside it the history of the same scope where the source has one. */
export type PaneFeed = {stream: PaneStream; history?: HistoryReader};

/** Where panes get their feeds. A factory may give the stream alone: a source with no history to read. */
export type StreamFactory = (source: string) => PaneFeed | PaneStream;

let nextPaneId = 1;

/** The rate's window: lines logged this long before their connection was made count as live all the same. */
const RATE_WINDOW_SECONDS = 5;

/** The task or artifact id a source names, whose records need no `[label]` in this pane. */
function ownLabelOf(source: string): string | undefined {
	try {
		const ref = parseStreamName(source);
		return ref.kind === 'task' || ref.kind === 'artifact' ? ref.id : undefined;
	} catch {
		return undefined;
	}
}

function ownerOf(record: LogRecord): RunEntity | undefined {
	if (record.automationId) {
		return {kind: 'automation', id: record.automationId};
	}

	return record.pipelineId ? {kind: 'pipeline', id: record.pipelineId} : undefined;
}

function feedOf(made: PaneFeed | PaneStream): PaneFeed {
	return 'stream' in made ? made : {stream: made};
}

/** One pane: a source, its stream and history, and the store its records land in. */
export class Pane {
	readonly id = nextPaneId++;
	readonly store: PaneStore;
	/** The source's history, where it has one: the pager fills the window from it. */
	readonly history?: HistoryReader;
	/** Reads the history into the window as the view nears an end held (`g`, `G`, scrolling past either end). */
	readonly pager: HistoryPager;
	connection: ConnectionState = {kind: 'connecting', attempt: 1};
	run?: RunInfo;
	/** A task's (artifact's) automation (pipeline), as its records name it: whose runs `[` steps through. */
	owner?: RunEntity;
	/** Set when `[`, `]` or the run list moved the pane to an earlier run: which, how far back, and the live source. */
	pin?: RunPin;
	/** `reading runs…` while `[` or `]` waits for the run list. */
	runActivity?: string;
	/** Unread ERROR and WARN lines, the activity sparkline, and news of the run (pane-attention.ts). */
	readonly attention = new PaneAttention();
	readonly #stream: PaneStream;
	readonly #rate = new ArrivalRate(RATE_WINDOW_SECONDS);
	/** Since when the connection delivering records has been made: what was logged before is its replay. */
	#connectedAt = Date.now();
	/** Lines logged before this (by the same margin as the rate's) are what the pane opened on, not news. */
	readonly #openedAt = Date.now();

	constructor(
		readonly source: string,
		factory: StreamFactory,
		options: PaneStoreOptions,
		/** `unseen`: the change shows in the pane's counters at most, not in its rows (it is paused or scrolled back). */
		onChange: (unseen?: boolean) => void,
	) {
		// A filter over a big window is applied in slices: each later slice asks for a frame, so it shows as it grows.
		this.store = new PaneStore({...options, ownLabel: ownLabelOf(source), withEntity: source.trim().startsWith('all'), slices: {onSlice: () => onChange()}});
		const feed = feedOf(factory(source));
		this.#stream = feed.stream;
		this.history = feed.history;
		this.pager = new HistoryPager(this.store, this.history, () => onChange(), {entityLabels: source.trim().startsWith('all')});
		this.store.onMove = (move) => {
			this.pager.moved(move);
		};

		this.#stream.on('record', (record) => {
			const now = Date.now();
			const live = this.#count(record, now);
			// With its arrival: a long pause in the live stream before it is marked in line (quiet-gap.ts).
			this.store.append(record, {now, live});
			this.pager.heard(record);
			this.attention.heard(record, {live, news: !(Date.parse(record.timestamp) < this.#openedAt - RATE_WINDOW_SECONDS * 1000)}, now);
			// Until the stream says which run it follows, the first record tells (`all` follows no one run).
			if (!this.run && record.runId && source !== 'all') {
				this.run = {runId: record.runId, status: 'running'};
			}

			if (!this.owner && source !== 'all') {
				this.owner = ownerOf(record);
			}

			// A paused pane, or one scrolled back, shows the line only in its counters.
			onChange(this.store.paused || !this.store.following);
		});
		this.#stream.on('state', (state) => {
			if (state.kind === 'live' && this.connection.kind !== 'live') {
				this.#connectedAt = state.since;
			}

			this.connection = state;
			onChange();
		});
		this.#stream.on('run', (run) => {
			// A run's end is marked in line, as its start is (`── run r-41 started`): a pane that moves on to
			// the next run would otherwise not say how the last one ended. Said once, however often it is heard.
			if (run.status !== 'running' && !(this.run?.runId === run.runId && this.run.status === run.status)) {
				this.store.appendNotice(runEndText(run));
			}

			this.run = run;
			this.attention.ran(run);
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

	/**
	 * Lines per second as they arrive, the replay left out: a line logged before its connection was made
	 * (history sent on open or on a reconnect) is not throughput, however recent; a live line is, however
	 * old the time it carries.
	 */
	liveRate(now = Date.now()): number {
		return this.#rate.perSecond(now);
	}

	/**
	 * Reads the page of lines before the oldest held from the source's history into the window; false when
	 * the source has none, or nothing is earlier. One page, at once, outside the pager (which scrolling uses,
	 * with its own queue and generations): for callers that want the page before now, as its test does.
	 */
	async loadEarlier(limit: number): Promise<boolean> {
		const oldest = this.store.window.oldestId();
		if (!this.history || oldest === undefined || this.store.window.earlierLines() === 0) {
			return false;
		}

		const page = await this.history.before(oldest, limit);
		return this.store.fillBefore(page) > 0;
	}

	start(): void {
		this.#stream.start();
	}

	/** `r`: reconnect now, whatever the backoff was waiting for. */
	reconnect(): void {
		this.#stream.reconnectNow?.();
	}

	close(): void {
		this.pager.dispose();
		this.#stream.close();
	}

	/** Counts a live line in the rate; true when it was live. */
	#count(record: LogRecord, now: number): boolean {
		// An unreadable time is taken as live: arrival is what counts.
		const live = !(Date.parse(record.timestamp) < this.#connectedAt - RATE_WINDOW_SECONDS * 1000);
		if (live) {
			this.#rate.add(now);
		}

		return live;
	}
}
