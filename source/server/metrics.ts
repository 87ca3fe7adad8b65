import {Counter, Gauge, Registry, collectDefaultMetrics} from 'prom-client';
import type {FeedStats} from './store/types.js';

/** Prometheus metrics on a Registry of this server's own, so several servers can live in one process. */
export class ServerMetrics {
	readonly registry = new Registry();
	readonly connections = new Gauge({name: 'dbtail_sse_connections', help: 'Open SSE connections', registers: [this.registry]});
	readonly connectionsTotal = new Counter({name: 'dbtail_sse_connections_total', help: 'SSE connections accepted', registers: [this.registry]});
	readonly rejected = new Counter({
		name: 'dbtail_sse_rejected_total',
		help: 'SSE connections refused with 429 (connection limits)',
		registers: [this.registry],
	});

	readonly eventsSent = new Counter({name: 'dbtail_sse_events_sent_total', help: 'SSE events written to clients', registers: [this.registry]});
	readonly bytesSent = new Counter({name: 'dbtail_sse_bytes_sent_total', help: 'SSE bytes written to clients', registers: [this.registry]});
	readonly slowConsumers = new Counter({
		name: 'dbtail_slow_consumer_drops_total',
		help: 'SSE clients cut as slow consumers, for any reason (see dbtail_sse_cut_total)',
		registers: [this.registry],
	});

	readonly cuts = new Counter({
		name: 'dbtail_sse_cut_total',
		help: 'SSE clients cut, by reason: queue (its own queue passed --max-queue-bytes), budget (all queues passed --max-queued-bytes: the largest were cut), write-timeout (took nothing for --write-timeout)',
		labelNames: ['reason'] as const,
		registers: [this.registry],
	});

	readonly historyCut = new Counter({
		name: 'dbtail_history_pages_cut_total',
		help: 'History answers that stopped short of their limit at the byte budget (they say next)',
		registers: [this.registry],
	});

	readonly linesIngested = new Counter({
		name: 'dbtail_ingested_lines_total',
		help: 'Log lines stored (rate() of it is the ingest rate)',
		registers: [this.registry],
	});

	readonly batchesIngested = new Counter({name: 'dbtail_ingested_batches_total', help: 'Ingest batches stored', registers: [this.registry]});
	readonly batchesRejected = new Counter({name: 'dbtail_rejected_batches_total', help: 'Ingest batches refused (bad input)', registers: [this.registry]});
	readonly purged = new Counter({name: 'dbtail_purged_lines_total', help: 'Log lines deleted by retention', registers: [this.registry]});

	constructor() {
		collectDefaultMetrics({register: this.registry, prefix: 'dbtail_'});
	}

	/** The bytes held for SSE clients, as of each scrape (a gauge set per queued frame cost every client's write), and the budget. */
	watchQueues(held: () => number, budget: number): void {
		new Gauge({
			name: 'dbtail_sse_queued_bytes',
			help: 'Bytes of SSE events held for clients (queued, and written but not yet taken by the socket)',
			registers: [this.registry],
			collect() {this.set(held());},
		});
		new Gauge({name: 'dbtail_sse_queued_bytes_limit', help: 'The server-wide budget for queued SSE bytes (--max-queued-bytes)', registers: [this.registry]}).set(budget);
	}

	/**
	 * The committed feed's reader, as of each scrape: how far this instance is behind the database, and how
	 * it learns of commits (notifications; reads the fallback poll had to make up for). Zero on SQLite.
	 */
	watchFeed(stats: FeedStats): void {
		const gauge = (name: string, help: string, value: () => number) =>
			new Gauge({name, help, registers: [this.registry], collect() {this.set(value());}});
		const counter = (name: string, help: string, value: () => number) =>
			new Counter({name, help, registers: [this.registry], collect() {
				this.reset();
				this.inc(value());
			}});
		gauge('dbtail_feed_lag_records', 'Records committed to the store and not yet delivered to this instance\'s streams', () => stats.lagRecords);
		gauge('dbtail_feed_lag_seconds', 'How long the oldest undelivered commit has been known to this instance (0: caught up)', () => stats.lagSeconds);
		gauge('dbtail_store_reachable', 'Whether the store answered the feed reader\'s last read (1) or not (0)', () => (stats.reachable ? 1 : 0));
		gauge('dbtail_feed_listening', 'Whether the LISTEN connection for commit wake-ups is up (1) or not (0)', () => (stats.listening ? 1 : 0));
		counter('dbtail_feed_notifications_total', 'Commit notifications (NOTIFY wake-ups) received', () => stats.notifications);
		counter('dbtail_feed_poll_catchups_total', 'Reads by the fallback poll that found commits no notification had announced', () => stats.pollCatchUps);
	}
}
