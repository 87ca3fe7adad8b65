import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {ingest, type IngestLine} from './ingest.js';
import {startServeProcess, type ServeProcess} from './serve-process.js';
import {TmuxSession} from './tmux.js';

const root = path.resolve(import.meta.dirname, '../..');

/** A real `dbtail serve` in a temporary directory, and the real viewer (built dist/) in tmux against it. */
export type ViewerFixture = {
	server: ServeProcess;
	session: TmuxSession;
	/** Stops the viewer and the server and removes the directory; safe after a failed start. */
	stop(): Promise<void>;
};

export type ViewerFixtureOptions = {
	/** Names the temporary directory: `dbtail-e2e-<name>-`. */
	name: string;
	serveArgs?: string[];
	port?: number;
	/** Writes what the test reads, before the viewer starts. */
	seed?: (url: string) => Promise<void>;
	/** The viewer's arguments after `--server URL`. */
	viewerArgs: string;
	width?: number;
	height?: number;
	env?: Record<string, string>;
};

export async function startViewerFixture(options: ViewerFixtureOptions): Promise<ViewerFixture> {
	const work = mkdtempSync(path.join(tmpdir(), `dbtail-e2e-${options.name}-`));
	let server: ServeProcess | undefined;
	let session: TmuxSession | undefined;
	const stop = async () => {
		await session?.kill();
		await server?.stop();
		rmSync(work, {recursive: true, force: true});
	};

	try {
		server = await startServeProcess(path.join(work, 'e2e.db'), options.serveArgs ?? [], options.port === undefined ? {} : {port: options.port});
		await options.seed?.(server.url);
		session = await TmuxSession.start({
			command: `node bin/dbtail.js --server ${server.url} ${options.viewerArgs}; read _`,
			width: options.width ?? 100,
			height: options.height ?? 30,
			cwd: root,
			...(options.env ? {env: options.env} : {}),
		});
	} catch (error) {
		await stop();
		throw error;
	}

	return {server, session, stop};
}

/** A run of `total` lines of automation `automationId`, posted in batches of 10,000: `line(n)` is its line n (from 1). */
export async function ingestLongRun(url: string, automationId: string, total: number, line: (n: number) => IngestLine): Promise<string> {
	const batch = 10_000;
	const lines = (from: number) => Array.from({length: Math.min(batch, total - from + 1)}, (_, index) => line(from + index));
	const {runId} = await ingest(url, undefined, {automationId}, lines(1));
	for (let from = batch + 1; from <= total; from += batch) {
		await ingest(url, undefined, runId, lines(from));
	}

	return runId;
}
