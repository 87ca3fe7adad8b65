import type {Run} from '../../../protocol/record.js';
import type {CommittedFeed} from '../log-store.js';
import {logRowFrom, toRecord, toRun} from '../rows.js';
import type {FeedEvent, FeedStats} from '../types.js';
import type {PgPool} from './pg-pool.js';
import {logTupleOf, PG_LOG_COLUMNS, runRowOf} from './pg-reads.js';
import type {FeedPosition} from './pg-writes.js';

/*
 * The committed feed on PostgreSQL: one reader per instance (not one per client) reads what was committed
 * after its cursor, in commit order, and hands it to its subscribers. NOTIFY only wakes it (a notification can
 * be lost while the LISTEN connection reconnects, and could not carry a batch anyway: 8000 bytes); a poll
 * every `pollMs` makes up for a lost one, so a lost notification delays and never loses. A write made by
 * this instance is handed over at once when the cursor stands just before it; else it is read like any.
 *
 * The cursor is a position of both numberings (pg-schema.ts): the last log id and the last run event. One
 * read takes the counters and the run events in one statement (snapshot S), then the log records up to the
 * counters' last id: every one of those was committed before S, so the two reads are one consistent cut,
 * and each run event is put after the records committed before it.
 */

const EVENT_PAGE = 1000;
const LOG_PAGE = 2000;
/** Writes waiting for the cursor to reach them; more and they are simply read back. */
const MAX_HANDOFFS = 1000;

const RUN_COLUMNS = 'r.run_id, r.kind, r.entity_id, r.name, r.status, r.started_at, r.finished_at, r.seq_no, r.last_seq';
const READ_EVENTS = `SELECT c.last_log, c.last_event, e.ev_no, e.at_log, e.type, ${RUN_COLUMNS}
	FROM dbtail.counters c
	LEFT JOIN LATERAL (SELECT * FROM dbtail.run_events WHERE ev_no > $1 AND ev_no <= c.last_event ORDER BY ev_no LIMIT $2) e ON true
	LEFT JOIN dbtail.runs r ON r.run_id = e.run_id ORDER BY e.ev_no`;
const READ_LOGS = `SELECT ${PG_LOG_COLUMNS} FROM dbtail.logs WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3`;

type EventRow = {last_log: string; last_event: string; ev_no: string | null; at_log: string | null; type: 'started' | 'finished'} & Record<string, unknown>;
type RunEvent = {evNo: number; atLog: number; event: FeedEvent};

const key = (position: FeedPosition) => `${position.log}:${position.event}`;
const after = (a: FeedPosition, b: FeedPosition) => a.log > b.log || (a.log === b.log && a.event > b.event);

function runEventOf(row: EventRow): RunEvent {
	const stored = toRun(runRowOf(row));
	let event: FeedEvent;
	if (row.type === 'started') {
		// As it was when it started: the run may have finished since.
		const {finishedAt: _finishedAt, ...run} = stored;
		event = {type: 'run-started', run: {...run, status: 'running'} as Run};
	} else {
		event = {type: 'completed', run: stored, durationMs: Date.parse(stored.finishedAt!) - Date.parse(stored.startedAt)};
	}

	return {evNo: Number(row.ev_no), atLog: Number(row.at_log), event};
}

export class PgFeed implements CommittedFeed {
	readonly #db: PgPool;
	readonly #sinks = new Set<(event: FeedEvent) => void>();
	readonly #handoffs = new Map<string, {after: FeedPosition; events: FeedEvent[]}>();
	#cursor: FeedPosition;
	/** The newest position this instance has heard of (notifications, its own writes, reads). */
	#known: FeedPosition;
	#behindSince = 0;
	#reading: Promise<void> | undefined;
	#again = false;
	#failures = 0;
	#lastFailure = '';
	#timer: NodeJS.Timeout | undefined;
	#closed = false;
	#notifications = 0;
	#pollCatchUps = 0;
	#listening = false;
	readonly #pollMs: number;
	readonly #log: (line: string) => void;
	/** Read at each scrape: a view onto the reader, not a copy. */
	readonly stats: FeedStats;

	constructor(db: PgPool, start: FeedPosition, pollMs: number, log: (line: string) => void) {
		const lagRecords = () => Math.max(0, this.#known.log - this.#cursor.log);
		const lagSeconds = () => (this.#behindSince === 0 ? 0 : (Date.now() - this.#behindSince) / 1000);
		const counts = () => ({notifications: this.#notifications, pollCatchUps: this.#pollCatchUps, listening: this.#listening});
		this.stats = {
			get lagRecords() {return lagRecords();},
			get lagSeconds() {return lagSeconds();},
			get notifications() {return counts().notifications;},
			get pollCatchUps() {return counts().pollCatchUps;},
			get listening() {return counts().listening;},
			get reachable() {return db.reachable;},
		};
		this.#db = db;
		this.#cursor = start;
		this.#known = start;
		this.#pollMs = pollMs;
		this.#log = log;
		this.#schedulePoll();
	}

	subscribe(sink: (event: FeedEvent) => void): () => void {
		this.#sinks.add(sink);
		return () => this.#sinks.delete(sink);
	}

	/** A NOTIFY arrived: `<last log id>:<last event>` as of that commit. */
	notified(payload: string): void {
		this.#notifications++;
		const [log, event] = payload.split(':').map(Number);
		if (!Number.isFinite(log) || !Number.isFinite(event)) {return;}
		this.#heard({log: log!, event: event!});
		if (after(this.#known, this.#cursor)) {void this.#read('notified');}
	}

	set listening(up: boolean) {
		this.#listening = up;
	}

	/** The LISTEN connection is (back) up: whatever was committed while it was away is read now. */
	catchUp(): void {
		void this.#read('notified');
	}

	/** This instance committed `events` right after position `before`. */
	committed(before: FeedPosition, next: FeedPosition, events: FeedEvent[]): void {
		this.#heard(next);
		if (!after(this.#cursor, before)) {
			this.#handoffs.set(key(before), {after: next, events});
			if (this.#handoffs.size > MAX_HANDOFFS) {this.#handoffs.clear();}
		}

		if (this.#reading) {
			this.#again = true;
			return;
		}

		this.#takeHandoffs();
		if (after(this.#known, this.#cursor)) {void this.#read('notified');}
	}

	async close(): Promise<void> {
		this.#closed = true;
		clearTimeout(this.#timer);
		await this.#reading;
	}

	#heard(position: FeedPosition): void {
		if (after(position, this.#known)) {this.#known = position;}
		if (this.#behindSince === 0 && after(this.#known, this.#cursor)) {this.#behindSince = Date.now();}
	}

	#schedulePoll(): void {
		if (this.#closed) {return;}
		// While the database is away, poll less often: it is retried, not hammered.
		const delay = Math.min(this.#pollMs * 2 ** Math.min(this.#failures, 3), 2000);
		this.#timer = setTimeout(() => {
			void this.#read('poll').finally(() => this.#schedulePoll());
		}, delay);
		this.#timer.unref();
	}

	/** Reads until caught up; one read at a time, and a wake-up during one makes it go round again. */
	async #read(reason: 'poll' | 'notified'): Promise<void> {
		if (this.#reading) {
			this.#again = true;
			return this.#reading;
		}

		this.#reading = (async () => {
			try {
				do {
					this.#again = false;
					const announced = this.#known;
					const found = await this.#readOnce();
					if (reason === 'poll' && found && after(this.#known, announced)) {this.#pollCatchUps++;}
					this.#takeHandoffs();
				} while (!this.#closed && (this.#again || after(this.#known, this.#cursor)));
				this.#failures = 0;
				this.#lastFailure = '';
			} catch (error) {
				this.#failures++;
				// The pool says when the database goes and comes back; anything else is said once per kind of failure.
				const message = (error as Error).message;
				if (this.#db.reachable && message !== this.#lastFailure) {this.#log(`reading the committed feed failed (retrying): ${message}`);}
				this.#lastFailure = message;
			} finally {
				this.#reading = undefined;
			}
		})();
		return this.#reading;
	}

	/** One consistent cut after the cursor; whether it found anything. */
	async #readOnce(): Promise<boolean> {
		const {rows} = await this.#db.query<EventRow>({name: 'dbtail_feed_events', text: READ_EVENTS, values: [this.#cursor.event, EVENT_PAGE]});
		const top: FeedPosition = {log: Number(rows[0]!.last_log), event: Number(rows[0]!.last_event)};
		this.#heard(top);
		if (!after(top, this.#cursor)) {return false;}
		const runEvents = rows.filter((row) => row.ev_no !== null).map((row) => runEventOf(row));
		// A full page of events: records past the last one may come after events not read yet.
		const bound = runEvents.length === EVENT_PAGE ? Math.min(top.log, runEvents.at(-1)!.atLog) : top.log;
		const logs =
			bound > this.#cursor.log
				? (await this.#db.rows<unknown[]>('dbtail_feed_logs', READ_LOGS, [this.#cursor.log, bound, LOG_PAGE])).map((row) =>
						toRecord(logRowFrom(logTupleOf(row))),
					)
				: [];
		const frontier = logs.length === LOG_PAGE ? Number(logs.at(-1)!.id) : bound;
		let next = 0;
		let lastEvent = this.#cursor.event;
		for (const runEvent of runEvents) {
			if (runEvent.atLog > frontier) {break;}
			const upTo = logs.findIndex((record, index) => index >= next && Number(record.id) > runEvent.atLog);
			const end = upTo === -1 ? logs.length : upTo;
			if (end > next) {this.#deliver({type: 'logs', records: logs.slice(next, end)});}
			next = end;
			this.#deliver(runEvent.event);
			lastEvent = runEvent.evNo;
		}

		if (logs.length > next) {this.#deliver({type: 'logs', records: logs.slice(next)});}
		this.#moveTo({log: frontier, event: lastEvent});
		return true;
	}

	#takeHandoffs(): void {
		for (let handoff = this.#handoffs.get(key(this.#cursor)); handoff; handoff = this.#handoffs.get(key(this.#cursor))) {
			this.#handoffs.delete(key(this.#cursor));
			for (const event of handoff.events) {this.#deliver(event);}
			this.#moveTo(handoff.after);
		}

		for (const [position, handoff] of this.#handoffs) {
			if (!after(handoff.after, this.#cursor)) {this.#handoffs.delete(position);}
		}
	}

	#moveTo(position: FeedPosition): void {
		this.#cursor = position;
		if (!after(this.#known, this.#cursor)) {this.#behindSince = 0;}
	}

	#deliver(event: FeedEvent): void {
		for (const sink of this.#sinks) {sink(event);}
	}
}
