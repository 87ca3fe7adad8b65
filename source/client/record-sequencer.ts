import type {LogRecord} from '../protocol/record.js';
import {DeliveryGate, type Verdict} from './delivery-gate.js';
import {decoders, detectDialect, type Decoded, type Decoder, type SseMessage} from './dialects/index.js';
import type {Dialect} from './types.js';

export type Gap = Extract<Verdict, {action: 'gap'}> & {beforeId?: string; beforeSeq: number};

/** What the sequencer needs from its LogStream. */
export type SequencerHost = {
	deliver(record: LogRecord): void;
	duplicate(): void;
	/** Non-record events (status, error), in stream order. */
	event(decoded: Exclude<Decoded, {kind: 'record'}>): void;
	dialectDetected(dialect: Dialect): void;
	/** Fetches a gap's records; rejects when history cannot be read. */
	fill(gap: Gap): Promise<LogRecord[]>;
	/** Filled records came back short, or the fetch failed: `missing` lines will not be shown. */
	filled(gap: Gap, got: number, error?: unknown): 'continue' | 'stop';
};

type Item = {generation: number; message?: SseMessage; record?: LogRecord; receivedAt: number};

/**
 * Turns SSE events into records delivered in order, once each. Events are handled synchronously as they
 * arrive, except while a gap is being filled from history: then later events wait in a queue, so the
 * filled lines come out before the line that revealed the gap.
 */
export class RecordSequencer {
	readonly gate: DeliveryGate;
	#decoder: Decoder | undefined;
	#queue: Item[] = [];
	#filling = false;
	#minGeneration = 0;

	constructor(
		private readonly host: SequencerHost,
		detectGaps: boolean,
		dialect: Dialect | undefined,
	) {
		this.gate = new DeliveryGate(detectGaps);
		this.#decoder = dialect ? decoders[dialect] : undefined;
	}

	push(generation: number, message: SseMessage): void {
		if (this.#filling || this.#queue.length > 0) {
			this.#queue.push({generation, message, receivedAt: Date.now()});
		} else if (generation >= this.#minGeneration) {
			this.#decode(message, Date.now(), generation);
		}
	}

	/** Drops what earlier connections sent but was not handled yet (after an epoch reset). */
	discardBefore(generation: number): void {
		this.#minGeneration = generation;
		this.#queue = this.#queue.filter((item) => item.generation >= generation);
	}

	#handle(item: Item): void {
		if (item.generation < this.#minGeneration) {
			return;
		}

		if (item.record) {
			this.#offer(item.record, item.generation, item.receivedAt);
			return;
		}

		this.#decode(item.message!, item.receivedAt, item.generation);
	}

	#decode(message: SseMessage, receivedAt: number, generation: number): void {
		if (!this.#decoder) {
			const dialect = detectDialect(message);
			if (!dialect) {
				return;
			}

			this.#decoder = decoders[dialect];
			this.host.dialectDetected(dialect);
		}

		const decoded = this.#decoder(message, receivedAt);
		if (decoded.kind === 'record') {
			this.#offer(decoded.record, generation, receivedAt);
		} else if (decoded.kind !== 'ignore') {
			this.host.event(decoded);
		}
	}

	#offer(record: LogRecord, generation: number, receivedAt: number): void {
		const verdict = this.gate.check(record);
		if (verdict.action === 'deliver') {
			this.gate.delivered(record);
			this.host.deliver(record);
		} else if (verdict.action === 'duplicate') {
			this.host.duplicate();
		} else {
			this.#queue.unshift({generation, record, receivedAt});
			void this.#fill({...verdict, beforeId: record.id, beforeSeq: record.seq!});
		}
	}

	async #fill(gap: Gap): Promise<void> {
		this.#filling = true;
		let got = 0;
		let failure: unknown;
		try {
			for (const record of await this.host.fill(gap)) {
				if (this.gate.fits(record, gap.beforeSeq)) {
					this.gate.delivered(record);
					this.host.deliver(record);
					got++;
				}
			}
		} catch (error) {
			failure = error;
		}

		this.#filling = false;
		if (this.host.filled(gap, got, failure) === 'stop') {
			this.#queue = [];
			return;
		}

		// What history lacked is gone for good: accept the line that revealed the gap as the next one.
		this.gate.skipTo(gap.runId, gap.beforeSeq - 1);
		this.#drain();
	}

	#drain(): void {
		while (this.#queue.length > 0 && !this.#filling) {
			this.#handle(this.#queue.shift()!);
		}
	}
}
