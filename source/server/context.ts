import type {Auth} from './auth.js';
import type {ConnectionLimiter} from './connection-limiter.js';
import type {ScanGate} from './history-search.js';
import type {OriginPolicy} from './http/origin-policy.js';
import type {IngestService} from './ingest/ingest-service.js';
import type {ServerMetrics} from './metrics.js';
import type {SseSession} from './sse/sse-session.js';
import type {RunCache} from './run-cache.js';
import type {LogStore} from './store/log-store.js';
import type {QueueLimits} from './sse/frame-queue.js';
import type {QueueBudget} from './sse/queue-budget.js';

/** Everything a request handler may use; built once per server by startServer. */
export type ServerContext = {
	store: LogStore;
	/** Runs known in-process, kept by the feed: the live path and ingest ask it before the store. */
	runs: RunCache;
	metrics: ServerMetrics;
	ingest: IngestService;
	auth: Auth;
	/** What web pages may do: read from --cors-origin origins, never write. */
	origins: OriginPolicy;
	limiter: ConnectionLimiter;
	/** History searches and counted run lists running at once (history-search.ts). */
	scans: ScanGate;
	sessions: Set<SseSession>;
	limits: QueueLimits;
	/** The server-wide bound on bytes queued for SSE clients (--max-queued-bytes), and the write timeout. */
	budget: QueueBudget;
	writeTimeoutMs: number;
	heartbeatMs: number;
	retryMs: number;
	maxBodyBytes: number;
	draining: boolean;
	/** Internal errors (never tokens, never request URLs with their query). */
	log: (line: string) => void;
};
