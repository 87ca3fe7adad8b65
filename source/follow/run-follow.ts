import process from 'node:process';
import type {Writable} from 'node:stream';
import type {LogStreamOptions} from '../client/types.js';
import {sanitizeInline} from '../protocol/sanitize.js';
import {CatalogWatch, type CatalogWatchOptions} from './catalog-watch.js';
import {EXIT, worstExit} from './exit-status.js';
import {FollowedSource} from './followed-source.js';
import type {LineFormatOptions} from './line-format.js';
import {OutputBuffer} from './output-buffer.js';
import type {RecordFilter} from './record-filter.js';

/*
 * `dbtail follow`: records to stdout, everything about the connections to stderr (so pipes get only log
 * lines), and an exit code that says how the runs ended (exit-status.ts). Several sources are followed each
 * on its own stream and written to the one stdout as their lines arrive, as stern does: no source waits for
 * another, and a line is never reordered behind lines of other sources that came after it. Each line, and
 * each notice, then says its source first. One source prints as it always has, with no such prefix.
 */

/** One source: the name its lines are prefixed with (as typed or as a glob matched it) and its stream. */
export type FollowSource = {name: string; stream: LogStreamOptions; withEntity: boolean};

export type FollowOptions = {
	sources: FollowSource[];
	/** `[source]` before each line and notice: several sources, or any glob (whatever it matched). */
	prefixed: boolean;
	json: boolean;
	filter: RecordFilter;
	format: LineFormatOptions;
	/**
	 * --forever with globs: the catalog is read at once and every few seconds, and each source a glob
	 * matches, then or later, is followed (`open` makes it). While it runs, follow stays even with nothing
	 * to follow yet, as --wait waits for a source.
	 */
	watch?: Omit<CatalogWatchOptions, 'onMatch' | 'say' | 'onGiveUp'> & {open(name: string): FollowSource};
	stdout?: Writable;
	stderr?: Writable;
};

/** After SIGINT or SIGTERM, how long what was received may take to drain before follow exits anyway. */
const SIGNAL_DRAIN_MS = 1000;

/** How many sources one follow opens at most: each is a stream on the server, which caps them per token. */
export const MAX_SOURCES = 100;

export async function runFollow(options: FollowOptions): Promise<number> {
	const stdout = options.stdout ?? process.stdout;
	const stderr = options.stderr ?? process.stderr;
	const say = (text: string) => stderr.write(`dbtail: ${text}\n`);
	const followed = new Map<string, FollowedSource>();
	const codes: number[] = [];
	let running = 0;
	let full = false;
	// --timestamps elapsed: one clock for every source, started by the first line printed.
	const elapsedOrigin: {at?: number} = {};
	// One buffer for every source: a full pipe holds them all, and each write stays whole (a record's lines together).
	const out = new OutputBuffer(
		stdout,
		() => {
			full = true;
			for (const source of followed.values()) {
				source.pause();
			}
		},
		() => {
			full = false;
			for (const source of followed.values()) {
				source.resume();
			}
		},
	);

	return new Promise<number>((resolve) => {
		let finished = false;
		let watch: CatalogWatch | undefined;
		let overflowSaid = false;
		const finish = async (code: number) => {
			if (finished) {
				return;
			}

			finished = true;
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			watch?.stop();
			for (const source of followed.values()) {
				source.close();
			}

			await out.drain();
			resolve(code);
		};

		// Once every source has ended; a watch still waiting for its glob's first match keeps follow there.
		const endIfDone = () => {
			if (running === 0 && (followed.size > 0 || watch === undefined)) {
				void finish(worstExit(codes));
			}
		};

		const add = ({name, stream, withEntity}: FollowSource) => {
			if (finished || followed.has(name)) {
				return;
			}

			if (followed.size >= MAX_SOURCES) {
				if (!overflowSaid) {
					overflowSaid = true;
					say(`follows at most ${MAX_SOURCES} sources: ${sanitizeInline(name)} and any others matched later are not followed`);
				}

				return;
			}

			const shown = sanitizeInline(name);
			const source = new FollowedSource({
				stream,
				json: options.json,
				filter: options.filter.forSource(withEntity),
				format: {...options.format, withEntity, elapsedOrigin, ...(options.prefixed ? {source: shown} : {})},
				write: (text) => out.write(text),
				say: options.prefixed ? (text) => say(`[${shown}] ${text}`) : say,
			});
			followed.set(name, source);
			running++;
			if (full) {
				source.pause();
			}

			void source.ended.then((code) => {
				source.close();
				codes.push(code);
				running--;
				endIfDone();
			});
			source.start();
		};

		const onSignal = (signal: NodeJS.Signals) => {
			const code = signal === 'SIGTERM' ? 143 : EXIT.interrupted;
			if (finished) {
				// A second Ctrl-C while output drains to a stuck pipe: leave now.
				process.exit(code);
			}

			// What was received is written out first, but a reader that never reads (a stopped pager)
			// must not keep a CI job's SIGTERM waiting: past this, follow leaves without it.
			setTimeout(() => {
				process.exit(code);
			}, SIGNAL_DRAIN_MS).unref();
			void finish(code);
		};

		stdout.on('error', (error: NodeJS.ErrnoException) => {
			// The reader went away (`| head`): stop quietly, as other Unix tools do.
			out.markBroken();
			void finish(error.code === 'EPIPE' ? EXIT.succeeded : EXIT.fatal);
		});
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
		for (const source of options.sources) {
			add(source);
		}

		const watching = options.watch;
		if (watching) {
			watch = new CatalogWatch({
				...watching,
				onMatch: (name) => add(watching.open(name)),
				say,
				onGiveUp(reason) {
					say(reason);
					codes.push(EXIT.fatal);
					watch = undefined;
					endIfDone();
				},
			});
			watch.start();
		}

		endIfDone();
	});
}
