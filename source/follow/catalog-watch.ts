import type {Catalog} from '../protocol/api.js';
import {matchSourceGlob, type SourceGlob} from './source-glob.js';

/*
 * `dbtail follow 'task/load-*' --forever`: the globs are matched against the catalog again every few
 * seconds, and a source that appears later (a task that logs for the first time, a new automation) is
 * followed from then on, as stern picks up a new pod. Only with --forever: without it follow exits once
 * every run it follows has ended, and a source that could still appear would leave that moment undefined.
 */

export type CatalogWatchOptions = {
	globs: SourceGlob[];
	read(signal: AbortSignal): Promise<Catalog>;
	intervalMs: number;
	/** --connect-timeout: give up after this long without a catalog (undefined: keep asking). */
	giveUpAfterMs?: number;
	/** A stream name a glob matches (again, maybe: the caller follows each name once). */
	onMatch(name: string): void;
	say(text: string): void;
	/** The catalog could not be read for giveUpAfterMs: the watch has stopped. */
	onGiveUp(reason: string): void;
};

export class CatalogWatch {
	readonly #options: CatalogWatchOptions;
	readonly #abort = new AbortController();
	#timer: NodeJS.Timeout | undefined;
	/** When reading began to fail (epoch ms), and the failure said; undefined while it answers. */
	#failingSince: number | undefined;
	#stopped = false;
	/** The globs said to match nothing yet. */
	readonly #waitingSaid = new Set<string>();

	constructor(options: CatalogWatchOptions) {
		this.#options = options;
	}

	/** Asks now, then every interval until stopped. */
	start(): void {
		void this.#ask();
	}

	#matched(catalog: Catalog): void {
		for (const glob of this.#options.globs) {
			const names = matchSourceGlob(glob, catalog);
			if (names.length === 0 && !this.#waitingSaid.has(glob.text)) {
				// Said once: as --wait says once that it waits for a source.
				this.#waitingSaid.add(glob.text);
				this.#options.say(`no source in the catalog matches "${glob.text}" yet; asking again every ${this.#seconds}s`);
			}

			for (const name of names) {
				this.#options.onMatch(name);
			}
		}
	}

	/** Says why the catalog could not be read, once an outage, and gives up after giveUpAfterMs of it. */
	#failed(reason: string): void {
		if (this.#failingSince === undefined) {
			this.#failingSince = Date.now();
			this.#options.say(`cannot read the catalog (${reason}); asking again every ${this.#seconds}s`);
		}

		const {giveUpAfterMs} = this.#options;
		if (giveUpAfterMs !== undefined && Date.now() - this.#failingSince >= giveUpAfterMs) {
			this.stop();
			this.#options.onGiveUp(`no catalog for ${Math.round(giveUpAfterMs / 1000)}s, giving up (${reason})`);
		}
	}

	get #seconds(): number {
		return this.#options.intervalMs / 1000;
	}

	stop(): void {
		this.#stopped = true;
		clearTimeout(this.#timer);
		this.#abort.abort();
	}

	#schedule(): void {
		if (this.#stopped) {
			return;
		}

		// While failing, the last ask falls on the deadline, so giving up is said when it is due, not a poll later.
		const {intervalMs, giveUpAfterMs} = this.#options;
		const left = this.#failingSince === undefined || giveUpAfterMs === undefined ? intervalMs : this.#failingSince + giveUpAfterMs - Date.now();
		this.#timer = setTimeout(() => void this.#ask(), Math.max(0, Math.min(intervalMs, left)));
	}

	async #ask(): Promise<void> {
		let catalog: Catalog;
		try {
			catalog = await this.#options.read(this.#abort.signal);
		} catch (error) {
			if (!this.#stopped) {
				this.#failed((error as Error).message);
				this.#schedule();
			}

			return;
		}

		if (this.#stopped) {
			return;
		}

		if (this.#failingSince !== undefined) {
			this.#failingSince = undefined;
			this.#options.say('the catalog answers again');
		}

		this.#matched(catalog);
		this.#schedule();
	}
}
