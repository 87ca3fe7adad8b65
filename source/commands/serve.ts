import {readFileSync, statSync} from 'node:fs';
import process from 'node:process';
import meow from 'meow';
import {isLoopback, startServer, type RunningServer, type TokenGrant} from '../server/index.js';
import {parseTokensFile} from '../server/auth.js';
import {StoreInUseError} from '../server/store/schema.js';
import {UsageError} from './usage-error.js';

const help = `
  Usage
    $ dbtail serve [options]

  The reference log-stream server: ingest, history and SSE streams on an SQLite file.

  Options
    --port N               Port to listen on (default 8080; 0 picks a free one)
    --host HOST            Address to bind (default 127.0.0.1; others need a token)
    --db FILE              SQLite file, created if missing (default ./dbtail.db)
    --token SECRET         A token with read and write scopes (repeatable; also DBTAIL_SERVE_TOKEN)
    --tokens-file FILE     Tokens with scopes, one a line: "<token> read", "<token> write", "<token> read,write"
    --demo                 Run the simulated workload (nightly-etl, hourly-sync, sales-report)
    --rate N               Demo lines per second (default 20)
    --heartbeat SECONDS    Default heartbeat of streams, 1 to 60 (default 15)
    --retain N             Keep only the newest N log records (default: keep all)
    --durability MODE      normal (survives a process kill, default) or full (also a power loss; slower ingest)
    --allow-query-token    Accept ?token= in URLs (they end up in proxy logs; avoid)
    --max-connections N    Open streams in total (default 5000)
    --max-connections-per-token N   Open streams per token (default 500)

  Without a token the server is open to anyone who can reach it, so it binds to loopback only.
  SIGTERM or SIGINT: streams get a "shutdown" event, the store is flushed, exit 0.
`;

function positiveInt(value: number | undefined, flag: string, min: number, max: number): number | undefined {
	if (value === undefined) return undefined;
	if (!Number.isInteger(value) || value < min || value > max) {
		throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
	}

	return value;
}

function readTokens(file: string | undefined, tokens: string[]): TokenGrant[] {
	const grants: TokenGrant[] = tokens.filter(Boolean).map((token) => ({token, scopes: ['read', 'write']}));
	if (process.env.DBTAIL_SERVE_TOKEN) grants.push({token: process.env.DBTAIL_SERVE_TOKEN, scopes: ['read', 'write']});
	if (file === undefined) return grants;
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
	const cli = meow(help, {
		importMeta: import.meta,
		argv,
		// The help says what serve is; the package description above it would only repeat the whole tool.
		description: false,
		allowUnknownFlags: false,
		flags: {
			port: {type: 'number', default: 8080},
			host: {type: 'string', default: '127.0.0.1'},
			db: {type: 'string', default: './dbtail.db'},
			token: {type: 'string', isMultiple: true},
			tokensFile: {type: 'string'},
			demo: {type: 'boolean', default: false},
			rate: {type: 'number'},
			heartbeat: {type: 'number'},
			retain: {type: 'number'},
			durability: {type: 'string', default: 'normal'},
			allowQueryToken: {type: 'boolean', default: false},
			maxConnections: {type: 'number'},
			maxConnectionsPerToken: {type: 'number'},
		},
	});
	const {flags} = cli;
	if (cli.input.length > 0) throw new UsageError(`serve takes no arguments (got "${cli.input[0]}"); see dbtail serve --help`);
	if (flags.durability !== 'normal' && flags.durability !== 'full') throw new UsageError('--durability must be normal or full');
	if (flags.rate !== undefined && !(flags.rate > 0 && flags.rate <= 100_000)) throw new UsageError('--rate must be from 0 to 100000 lines per second');
	if (flags.rate !== undefined && !flags.demo) throw new UsageError('--rate only applies with --demo');
	const heartbeat = flags.heartbeat;
	if (heartbeat !== undefined && !(heartbeat >= 1 && heartbeat <= 60)) throw new UsageError('--heartbeat must be from 1 to 60 seconds');
	const tokens = readTokens(flags.tokensFile, flags.token ?? []);
	if (tokens.length === 0 && !isLoopback(flags.host)) {
		throw new UsageError(`refusing to listen on ${flags.host} with no token: give --token or --tokens-file, or use a loopback host`);
	}

	let server: RunningServer;
	try {
		server = await startServer({
			dbPath: flags.db,
			port: positiveInt(flags.port, 'port', 0, 65_535),
			host: flags.host,
			tokens,
			demo: flags.demo ? {rate: flags.rate} : false,
			heartbeatMs: heartbeat === undefined ? undefined : heartbeat * 1000,
			retain: positiveInt(flags.retain, 'retain', 1, Number.MAX_SAFE_INTEGER),
			durability: flags.durability,
			allowQueryToken: flags.allowQueryToken,
			maxConnections: positiveInt(flags.maxConnections, 'max-connections', 1, 1_000_000),
			maxConnectionsPerToken: positiveInt(flags.maxConnectionsPerToken, 'max-connections-per-token', 1, 1_000_000),
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'EADDRINUSE') throw new UsageError(`port ${flags.port} is in use: choose another with --port (0 picks a free one)`);
		if (code === 'EADDRNOTAVAIL') throw new UsageError(`cannot bind ${flags.host}: no such address on this machine`);
		if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_NOTADB') throw new UsageError(`cannot open the store ${flags.db}: ${(error as Error).message}`);
		if (error instanceof UsageError || error instanceof StoreInUseError || !code) throw new UsageError((error as Error).message);
		throw error;
	}

	process.stdout.write(`dbtail server listening on ${server.url}\n`);
	process.stdout.write(
		tokens.length === 0
			? 'no token configured: open access, bound to loopback only\n'
			: `auth: ${tokens.length} token${tokens.length === 1 ? '' : 's'} (Authorization: Bearer)\n`,
	);
	process.stdout.write(`store: ${flags.db} (epoch ${server.epoch}, durability ${flags.durability})\n`);
	if (flags.demo) process.stdout.write(`demo workload: ${flags.rate ?? 20} lines/s\n`);

	return new Promise<number>((resolve) => {
		const stop = (signal: NodeJS.Signals) => {
			process.stdout.write(`${signal}: draining streams and closing the store\n`);
			// Whatever happens in the drain, the process is gone within 5 s.
			setTimeout(() => process.exit(1), 5000).unref();
			server.close().then(
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
