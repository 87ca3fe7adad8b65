import {Counter, Gauge, Registry, collectDefaultMetrics} from 'prom-client';

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
		help: 'SSE clients cut because their queue passed the limit',
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
}
