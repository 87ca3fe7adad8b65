import {existsSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import process from 'node:process';
import {fetchCatalog} from '../client/catalog.js';
import {catalogEntries} from '../model/source-catalog.js';
import {numberFlag} from './number-flag.js';
import {parseCommandLine} from './parse-command-line.js';
import {startError} from './start-error.js';
import {UsageError} from '../errors.js';

/*
 * `dbtail demo`: the reference server with its simulated workload, in this process, on a loopback port and
 * a throwaway SQLite file, and the viewer on three of its sources. Quitting the viewer stops the server
 * and removes the file, so a fresh machine needs nothing but `npm ci`.
 */

const help = `
  Usage
    $ dbtail demo [options]

  Starts the log server with a simulated workload (a nightly ETL automation with tasks, a report
  pipeline with artifacts) on 127.0.0.1 and opens the viewer on automation/nightly-etl, task/extract
  and artifact/report-csv. Quit the viewer (q) to stop everything.

  Options
    --rate N         Simulated log lines per second, in total (default 100)
    --db FILE        Keep the SQLite database in FILE (default: a temporary file, removed on exit)
    --port N         Port to listen on (default: any free port)
    --scrollback N   Lines kept per pane (default 10000)

  Examples
    $ dbtail demo
    $ dbtail demo --rate 2000 --db demo.db
`;

export const DEMO_SOURCES = ['automation/nightly-etl', 'task/extract', 'artifact/report-csv'];

// Lively enough to show the viewer at work, and the simulator reaches every demo source within a second or two.
const DEFAULT_RATE = 100;
const WORKLOAD_TIMEOUT_MS = 30_000;

/**
 * Tasks and artifacts exist once their first line is logged, and a stream of an unknown one is a 404 that
 * ends it: so the viewer opens once the catalog lists every demo source.
 */
export async function waitForSources(server: string, sources: string[], timeoutMs = WORKLOAD_TIMEOUT_MS): Promise<void> {
	const started = Date.now();
	let told = false;
	for (;;) {
		const catalog = await fetchCatalog({server});
		const known = new Set(catalogEntries(catalog).map(entry => entry.name));
		if (sources.every(source => known.has(source))) {
			return;
		}

		if (Date.now() - started > timeoutMs) {
			throw new Error(`the simulated workload did not reach ${sources.filter(source => !known.has(source)).join(', ')} in ${timeoutMs / 1000} s`);
		}

		if (!told && Date.now() - started > 1000) {
			told = true;
			process.stderr.write('dbtail demo: waiting for the simulated workload to reach every demo source...\n');
		}

		await new Promise(resolve => {
			setTimeout(resolve, 100);
		});
	}
}

export default async function demo(argv: string[]): Promise<number> {
	const cli = parseCommandLine('dbtail demo', help, argv, {
		rate: {type: 'string'},
		db: {type: 'string'},
		port: {type: 'string'},
		scrollback: {type: 'string'},
	});
	if (cli.input.length > 0) {
		throw new UsageError(`"dbtail demo" takes no sources (got "${cli.input.join(' ')}"); run "dbtail ${cli.input.join(' ')}" to view them`);
	}

	const rate = numberFlag('rate', cli.flags.rate, {aboveMin: true}) ?? DEFAULT_RATE;
	const scrollback = numberFlag('scrollback', cli.flags.scrollback, {whole: true, aboveMin: true});
	const port = numberFlag('port', cli.flags.port, {whole: true, max: 65_535}) ?? 0;

	// Said before a server is started for nothing (the viewer checks too, but only once it opens).
	if (!process.stdout.isTTY || !process.stdin.isTTY) {
		throw new UsageError('the demo opens the full-screen viewer and needs a terminal; for a server alone use "dbtail serve --demo"');
	}

	// Both modules are loaded only now, so `dbtail demo --help` and flag mistakes answer at once.
	const [{startServer}, {Simulator}, {runViewer}] = await Promise.all([
		import('../server/index.js'),
		import('../demo/simulator.js'),
		import('./viewer.js'),
	]);

	if (cli.flags.db !== undefined && !existsSync(path.dirname(path.resolve(cli.flags.db)))) {
		throw new UsageError(`cannot keep the database in "${cli.flags.db}": its directory does not exist`);
	}

	const temporary = cli.flags.db === undefined ? mkdtempSync(path.join(tmpdir(), 'dbtail-demo-')) : undefined;
	const dbPath = temporary ? path.join(temporary, 'demo.db') : path.resolve(cli.flags.db!);
	// The viewer may end the process itself (SIGTERM, an uncaught error): the file must not outlive it.
	const removeTemporary = () => {
		if (temporary) {
			rmSync(temporary, {recursive: true, force: true});
		}
	};

	process.once('exit', removeTemporary);
	// The server's own reports would scribble over the full-screen viewer: keep them (the newest 200)
	// and print them once the terminal is back.
	const serverLog: string[] = [];
	const log = (line: string) => {
		serverLog.push(line);
		if (serverLog.length > 200) {serverLog.shift();}
	};

	let server: Awaited<ReturnType<typeof startServer>>;
	try {
		server = await startServer({
			dbPath,
			port,
			host: '127.0.0.1',
			log,
		});
	} catch (error) {
		removeTemporary();
		throw startError(error, {port, host: '127.0.0.1', portAdvice: 'pick another with --port, or leave it out for any free port'});
	}

	const simulator = new Simulator(server.ingest, {rate, log});
	await simulator.start();
	try {
		await waitForSources(server.url, DEMO_SOURCES);
		return await runViewer({sources: DEMO_SOURCES, server: server.url, scrollback});
	} finally {
		await simulator.stop();
		await server.close();
		removeTemporary();
		for (const line of serverLog) {
			process.stderr.write(`dbtail serve: ${line}\n`);
		}

		if (!temporary) {
			process.stderr.write(`dbtail demo: the database is kept in ${dbPath}\n`);
		}
	}
}
