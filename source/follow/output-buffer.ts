import type {Writable} from 'node:stream';

/**
 * Batches lines into few large writes (a write per line costs more than formatting it), and reports
 * backpressure: when the pipe is full the producer is told to hold off until it drains.
 */
const FLUSH_BYTES = 64 * 1024;

export class OutputBuffer {
	#parts: string[] = [];
	#size = 0;
	#scheduled = false;
	#full = false;
	#broken = false;

	readonly #out: Writable;
	readonly #onFull: () => void;
	readonly #onDrain: () => void;

	constructor(
		out: Writable,
		onFull: () => void,
		onDrain: () => void,
	) {
		this.#out = out;
		this.#onFull = onFull;
		this.#onDrain = onDrain;
		out.on('drain', () => {
			if (this.#full) {
				this.#full = false;
				this.#onDrain();
			}
		});
	}

	/** True once the reader went away (EPIPE): nothing more will be written. */
	get broken(): boolean {
		return this.#broken;
	}

	markBroken(): void {
		this.#broken = true;
		this.#parts = [];
	}

	write(text: string): void {
		if (this.#broken) {
			return;
		}

		this.#parts.push(text);
		this.#size += text.length;
		if (this.#size >= FLUSH_BYTES) {
			this.flush();
		} else if (!this.#scheduled) {
			this.#scheduled = true;
			setImmediate(() => {
				this.#scheduled = false;
				this.flush();
			});
		}
	}

	flush(): void {
		if (this.#parts.length === 0 || this.#broken) {
			return;
		}

		const text = this.#parts.length === 1 ? this.#parts[0]! : this.#parts.join('');
		this.#parts = [];
		this.#size = 0;
		if (!this.#out.write(text) && !this.#full) {
			this.#full = true;
			this.#onFull();
		}
	}

	/** Flushes and resolves once everything written has left the process (or the reader is gone). */
	async drain(): Promise<void> {
		this.flush();
		if (this.#broken || !this.#out.writableNeedDrain) {
			return;
		}

		await new Promise<void>((resolve) => {
			this.#out.once('drain', resolve);
			this.#out.once('error', () => resolve());
		});
	}
}
