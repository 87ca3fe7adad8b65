import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import {isLoopbackHost} from '../protocol/loopback.js';
import {OpenServerRefused} from './errors.js';
import {createHandler} from './app.js';
import {Auth, type TokenGrant} from './auth.js';
import {ConnectionLimiter, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_TOKEN} from './connection-limiter.js';
import {ScanGate} from './history-search.js';
import type {ServerContext} from './context.js';
import {OriginPolicy} from './http/origin-policy.js';
import {IngestService} from './ingest/ingest-service.js';
import {ServerMetrics} from './metrics.js';
import {RunCache} from './run-cache.js';
import {QueueBudget} from './sse/queue-budget.js';
import {IDEMPOTENCY_KEY_TTL_MS} from './store/idempotency.js';
import {openStore} from './store/open-store.js';
import {StreamTokens} from './stream-tokens.js';
import type {Durability} from './store/sqlite/schema.js';
import type {StoreKind} from './store/types.js';

export type ServerOptions = {
	/**
	 * The store: an SQLite file (created if missing), which this process alone holds; or a `postgres://`
	 * (`postgresql://`) URL, a database that any number of instances share (the schema is made on start).
	 */
	dbPath: string;
	/** PostgreSQL only: connections per instance for requests (default 10), besides one for LISTEN. */
	dbPoolSize?: number;
	/** PostgreSQL only: how often the committed feed polls when no notification came (default 250 ms). */
	feedPollMs?: number;
	/** 0 = ephemeral (the CLI's default is 8080). */
	port?: number;
	/** Default 127.0.0.1. Without tokens only a loopback address is accepted. */
	host?: string;
	/** None = open access, loopback only. */
	tokens?: TokenGrant[];
	/** Heartbeat for streams that do not ask (default 15000). */
	heartbeatMs?: number;
	allowQueryToken?: boolean;
	/** Lifetime of the short-lived read tokens of `POST /api/tokens` (default 5 minutes). */
	streamTokenTtlMs?: number;
	/** Origins whose web pages may read (CORS), as `http://localhost:3000`; none by default. Pages never write. */
	corsOrigins?: string[];
	/** Per-client queue limits; past either the client is cut with `slow-consumer` (default 10,000 events, 8 MiB). */
	maxQueueEvents?: number;
	maxQueueBytes?: number;
	/**
	 * Bytes queued for all SSE clients together (default 256 MiB); past it the clients holding most are cut with
	 * `slow-consumer`, so no number of readers within their own limits can exhaust the server's memory.
	 */
	maxQueuedBytes?: number;
	/** A client whose socket takes nothing for this long is cut (default 30,000 ms). */
	writeTimeoutMs?: number;
	/** Open SSE streams in total (default 5,000) and per token (default 500); past them 429. */
	maxConnections?: number;
	maxConnectionsPerToken?: number;
	/** History searches and counted run lists at once (default 4); past them 503. */
	maxSearches?: number;
	/** The SSE `retry:` clients are told (default 2000 ms). */
	retryMs?: number;
	/** Keep only the newest N log records (default: keep all). */
	retain?: number;
	/** `normal` (default) survives a process kill; `full` also a power loss, at a cost per commit. */
	durability?: Durability;
	/** Largest ingest body (default 16 MB): parsing and storing one body holds the event loop, so it is bounded. */
	maxBodyBytes?: number;
	/**
	 * A request must arrive whole within this (default 30 s), or it is answered 408 and its connection
	 * closed: a stalled upload holds what it sent (100 stalled 16 MB uploads held 1.6 GB for Node's 300 s).
	 */
	bodyTimeoutMs?: number;
	/** Where the server reports internal errors (default stderr). */
	log?: (line: string) => void;
};

export type RunningServer = {
	url: string;
	port: number;
	host: string;
	epoch: string;
	store: StoreKind;
	/** Where the store is, fit to print (a URL without its password). */
	storeDescription: string;
	/** The write path (the demo simulator writes through it, as HTTP ingest does). */
	ingest: IngestService;
	/** Graceful drain: stop accepting, `shutdown` on every stream, flush, close the store. */
	close(): Promise<void>;
};

export type {TokenGrant} from './auth.js';

export {OpenServerRefused} from './errors.js';

const DRAIN_MS = 3000;

export async function startServer(options: ServerOptions): Promise<RunningServer> {
	const host = options.host ?? '127.0.0.1';
	const tokens = options.tokens ?? [];
	if (tokens.length === 0 && !isLoopbackHost(host)) {
		throw new OpenServerRefused(host);
	}

	// Checked before the store is opened: a bad origin is the caller's mistake, not a half-started server.
	const origins = new OriginPolicy(options.corsOrigins);
	const log = options.log ?? ((line: string) => process.stderr.write(`dbtail serve: ${line}\n`));
	const store = await openStore(options.dbPath, {durability: options.durability, poolSize: options.dbPoolSize, pollMs: options.feedPollMs, log});
	const runs = new RunCache(store);
	// Subscribed before any session can be, so it hears of every run first (a feed calls its sinks in the
	// order they subscribed): a session asking it about a run the feed announced finds it.
	const unfeed = store.feed.subscribe((event) => {
		runs.observe(event);
	});
	const metrics = new ServerMetrics();
	metrics.watchFeed(store.feed.stats);
	const writeTimeoutMs = options.writeTimeoutMs ?? 30_000;
	const budget = new QueueBudget(options.maxQueuedBytes ?? 256 * 1024 * 1024, writeTimeoutMs, metrics);
	const ingest = new IngestService(store, metrics, options.retain);
	const ctx: ServerContext = {
		store,
		runs,
		metrics,
		ingest,
		auth: new Auth(tokens, options.allowQueryToken, new StreamTokens(options.streamTokenTtlMs, store.sharedSigningKey)),
		origins,
		limiter: new ConnectionLimiter(options.maxConnections ?? DEFAULT_MAX_CONNECTIONS, options.maxConnectionsPerToken ?? DEFAULT_MAX_CONNECTIONS_PER_TOKEN),
		scans: new ScanGate(options.maxSearches),
		sessions: new Set(),
		limits: {maxEvents: options.maxQueueEvents ?? 10_000, maxBytes: options.maxQueueBytes ?? 8 * 1024 * 1024},
		budget,
		writeTimeoutMs,
		heartbeatMs: options.heartbeatMs ?? 15_000,
		retryMs: options.retryMs ?? 2000,
		maxBodyBytes: options.maxBodyBytes ?? 16 * 1024 * 1024,
		draining: false,
		log,
	};

	const bodyTimeoutMs = options.bodyTimeoutMs ?? 30_000;
	const server = createServer(
		// Node checks the request deadline every connectionsCheckingInterval (default 30 s): often enough to keep to it.
		{keepAliveTimeout: 5000, requestTimeout: bodyTimeoutMs, connectionsCheckingInterval: Math.min(1000, Math.max(50, bodyTimeoutMs / 10))},
		createHandler(ctx),
	);
	try {
		await new Promise<void>((resolve, reject) => {
			server.once('error', reject);
			server.listen(options.port ?? 0, host, () => resolve());
		});
	} catch (error) {
		unfeed();
		budget.close();
		await store.close();
		throw error;
	}

	// Keys are kept a day; forgetting them is cheap and any instance may do it.
	const expiry = setInterval(() => {
		store.expireIdempotencyKeys(IDEMPOTENCY_KEY_TTL_MS).catch((error: unknown) => log(`forgetting old Idempotency-Keys failed: ${(error as Error).message}`));
	}, 10 * 60_000);
	expiry.unref();

	const address = server.address() as AddressInfo;
	const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
	let closing: Promise<void> | undefined;

	async function close(): Promise<void> {
		ctx.draining = true;
		const closed = new Promise<void>((resolve) => server.close(() => resolve()));
		server.closeIdleConnections();
		const sessions = [...ctx.sessions];
		const drained = Promise.all(sessions.map(async (session) => session.shutdown()));
		const timeout = new Promise<void>((resolve) => setTimeout(resolve, DRAIN_MS).unref());
		await Promise.race([drained, timeout]);
		// Streams that would not flush in time (a stuck client) are cut; in-flight ingest gets the same deadline.
		for (const session of ctx.sessions) {session.destroy();}
		// Ended streams leave keep-alive sockets behind; they would hold server.close() open.
		server.closeIdleConnections();
		await Promise.race([closed, new Promise<void>((resolve) => setTimeout(resolve, 500).unref())]);
		server.closeAllConnections();
		await closed;
		clearInterval(expiry);
		budget.close();
		unfeed();
		await store.close();
	}

	return {
		url: `http://${urlHost}:${address.port}`,
		port: address.port,
		host: address.address,
		epoch: store.epoch,
		store: store.kind,
		storeDescription: store.description,
		ingest,
		close: async () => {
			closing ??= close();
			return closing;
		},
	};
}
