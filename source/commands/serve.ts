import {readFileSync, statSync} from 'node:fs';
import process from 'node:process';
import {Simulator} from '../demo/simulator.js';
import {DURABILITIES, type Durability} from '../server/store/sqlite/schema.js';
import {isPostgresUrl} from '../server/store/postgres/pg-url.js';
import {startServer, type RunningServer, type TokenGrant} from '../server/index.js';
import {parseTokensFile} from '../server/auth.js';
import {parseCorsOrigin} from '../server/http/origin-policy.js';
import {numberFlag} from './number-flag.js';
import {parseCommandLine} from './parse-command-line.js';
import {startError} from './start-error.js';
import {UsageError} from '../errors.js';

const help = `
  Usage
    $ dbtail serve [options]

  The reference log-stream server: ingest, history and SSE streams on an SQLite file, or on a
  PostgreSQL database that any number of instances share behind a load balancer.

  Options
    --port N               Port to listen on (default 8080; 0 picks a free one)
    --host HOST            Address to bind (default 127.0.0.1; others need a token)
    --db FILE|URL          SQLite file, created if missing (default ./dbtail.db; also DBTAIL_DB), or
                           postgres://user@host:5432/dbname: a PostgreSQL database shared by every
                           instance (schema created on start; password in the URL or PGPASSWORD)
    --db-pool N            PostgreSQL connections per instance (default 10, plus one for LISTEN)
    --token SECRET         A token with read and write scopes (repeatable; also DBTAIL_SERVE_TOKEN)
    --tokens-file FILE     Tokens with scopes, one a line: "<token> read", "<token> write", "<token> read,write"
    --demo                 Run the simulated workload (nightly-etl, hourly-sync, sales-report)
    --rate N               Demo lines per second (default 20)
    --heartbeat SECONDS    Default heartbeat of streams, 1 to 60 (default 15)
    --retain N             Keep only the newest N log records (default: keep all)
    --durability MODE      SQLite: normal (survives a process kill, default) or full (also a power loss;
                           slower ingest). PostgreSQL's durability is the database's own
    --allow-query-token    Accept ?token= in URLs (they end up in proxy logs; avoid)
    --cors-origin ORIGIN   Let web pages of ORIGIN (e.g. http://localhost:3000) read streams and history
                           (repeatable; none by default). Pages never write, whatever this says
    --max-connections N    Open streams in total (default 2000)
    --max-connections-per-token N   Open streams per token (default 500)
    --max-queued-bytes N   Bytes held for all streams together (default 268435456, 256 MiB); past it the
                           streams furthest behind are cut with slow-consumer (they resume by Last-Event-ID)
    --write-timeout SECONDS  Cut a stream whose client takes nothing for this long (default 30)

  Without a token the server is open to anyone who can reach it, so it binds to loopback only.
  Producers send Content-Type: application/x-ndjson or application/json. Web pages are refused unless
  --cors-origin names them; a page's EventSource puts a short-lived token from POST /api/tokens in ?token=.
  SIGTERM or SIGINT: streams get a "shutdown" event, the store is flushed, exit 0.
`;

function readTokens(file: string | undefined, tokens: string[]): TokenGrant[] {
	const grants: TokenGrant[] = tokens.filter(Boolean).map((token) => ({token, permissions: ['read', 'write']}));
	if (process.env.DBTAIL_SERVE_TOKEN) {grants.push({token: process.env.DBTAIL_SERVE_TOKEN, permissions: ['read', 'write']});}
	if (file === undefined) {return grants;}
	let text: string;
	try {
		text = readFileSync(file, 'utf8');
		if ((statSync(file).mode & 0o077) !== 0) {
			process.stderr.write(`dbtail serve: warning: ${file} can be read by other users; chmod 600 it\n`);
		}
	} catch (error) {
		throw new UsageError(`cannot read the tokens file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
	}

	try {
		return [...grants, ...parseTokensFile(text)];
	} catch (error) {
		throw new UsageError(`tokens file ${file}: ${(error as Error).message}`);
	}
}

export default async function serve(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail serve', help, argv, {
		port: {type: 'string'},
		host: {type: 'string', default: '127.0.0.1'},
		db: {type: 'string'},
		dbPool: {type: 'string'},
		token: {type: 'string', isMultiple: true},
		tokensFile: {type: 'string'},
		demo: {type: 'boolean', default: false},
		rate: {type: 'string'},
		heartbeat: {type: 'string'},
		retain: {type: 'string'},
		durability: {type: 'string', choices: [...DURABILITIES]},
		allowQueryToken: {type: 'boolean', default: false},
		corsOrigin: {type: 'string', isMultiple: true},
		maxConnections: {type: 'string'},
		maxConnectionsPerToken: {type: 'string'},
		maxQueuedBytes: {type: 'string'},
		writeTimeout: {type: 'string'},
	});
	const {flags} = cli;
	if (cli.input.length > 0) {throw new UsageError(`serve takes no arguments (got "${cli.input[0]}"); see dbtail serve --help`);}
	const port = numberFlag('port', flags.port, {whole: true, max: 65_535}) ?? 8080;
	const rate = numberFlag('rate', flags.rate, {aboveMin: true, max: 100_000, unit: 'lines per second'});
	if (rate !== undefined && !flags.demo) {throw new UsageError('--rate only applies with --demo');}
	const heartbeat = numberFlag('heartbeat', flags.heartbeat, {min: 1, max: 60, unit: 'seconds'});
	const connections = {whole: true, min: 1, max: 1_000_000};
	const maxConnections = numberFlag('max-connections', flags.maxConnections, connections);
	const maxConnectionsPerToken = numberFlag('max-connections-per-token', flags.maxConnectionsPerToken, connections);
	// At least what one stream may queue (8 MiB), at most what a 64-bit Node holds without thought (64 GiB).
	const maxQueuedBytes = numberFlag('max-queued-bytes', flags.maxQueuedBytes, {whole: true, min: 8 * 1024 * 1024, max: 64 * 1024 ** 3, unit: 'bytes'});
	const writeTimeout = numberFlag('write-timeout', flags.writeTimeout, {min: 1, max: 3600, unit: 'seconds'});
	const retain = numberFlag('retain', flags.retain, {whole: true, aboveMin: true});
	const tokens = readTokens(flags.tokensFile, flags.token ?? []);
	const db = flags.db ?? (process.env.DBTAIL_DB || './dbtail.db');
	const postgres = isPostgresUrl(db);
	const dbPoolSize = numberFlag('db-pool', flags.dbPool, {whole: true, min: 1, max: 1000});
	if (dbPoolSize !== undefined && !postgres) {throw new UsageError('--db-pool only applies with --db postgres://...');}
	if (flags.durability !== undefined && postgres) {
		throw new UsageError('--durability applies to an SQLite file; on PostgreSQL durability is the database\'s own (synchronous_commit)');
	}

	const durability = (flags.durability ?? 'normal') as Durability;
	const corsOrigins = (flags.corsOrigin ?? []).map((origin) => {
		try {
			return parseCorsOrigin(origin);
		} catch (error) {
			throw new UsageError(`--cors-origin ${(error as Error).message}`);
		}
	});

	let server: RunningServer;
	try {
		server = await startServer({
			dbPath: db,
			dbPoolSize,
			port,
			host: flags.host,
			tokens,
			heartbeatMs: heartbeat === undefined ? undefined : heartbeat * 1000,
			retain,
			durability,
			allowQueryToken: flags.allowQueryToken,
			corsOrigins,
			maxConnections,
			maxConnectionsPerToken,
			maxQueuedBytes,
			writeTimeoutMs: writeTimeout === undefined ? undefined : writeTimeout * 1000,
		});
	} catch (error) {
		throw startError(error, {port, host: flags.host, portAdvice: 'choose another with --port (0 picks a free one)'});
	}

	const simulator = flags.demo ? new Simulator(server.ingest, {rate}) : undefined;
	await simulator?.start();

	process.stdout.write(`dbtail server listening on ${server.url}\n`);
	process.stdout.write(
		tokens.length === 0
			? 'no token configured: open access, bound to loopback only\n'
			: `auth: ${tokens.length} token${tokens.length === 1 ? '' : 's'} (Authorization: Bearer)\n`,
	);
	if (corsOrigins.length > 0) {process.stdout.write(`web pages that may read: ${corsOrigins.join(', ')}\n`);}
	process.stdout.write(
		postgres
			? `store: PostgreSQL ${server.storeDescription} (epoch ${server.epoch}; instances on this database share streams)\n`
			: `store: ${server.storeDescription} (epoch ${server.epoch}, durability ${durability})\n`,
	);
	if (flags.demo) {process.stdout.write(`demo workload: ${rate ?? 20} lines/s\n`);}

	return new Promise<number>((resolve) => {
		const stop = (signal: NodeJS.Signals) => {
			process.stdout.write(`${signal}: draining streams and closing the store\n`);
			// Whatever happens in the drain, the process is gone within 5 s.
			setTimeout(() => process.exit(1), 5000).unref();
			void (simulator?.stop() ?? Promise.resolve()).then(async () => server.close()).then(
				() => resolve(0),
				(error: unknown) => {
					process.stderr.write(`dbtail serve: shutdown failed: ${(error as Error).message}\n`);
					resolve(1);
				},
			);
		};

		process.once('SIGTERM', stop);
		process.once('SIGINT', stop);
	});
}
