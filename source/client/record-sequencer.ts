import type {LogRecord} from '../protocol/record.js';
import {DeliveryGate, type Verdict} from './delivery-gate.js';
import {text} from './dialects/fields.js';
import {decoders, detectDialect, type Decoded, type Decoder, type MessageText, type SseMessage} from './dialects/index.js';
import {describeError} from './sse-connection.js';
import type {Dialect, StreamNotice} from './types.js';

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
	gapFilled(): void;
	notice(kind: StreamNotice['kind'], message: string): void;
	/** Ends the connection; the next one resumes from the last delivered id. */
	reconnect(reason: string): void;
};

/** In stream order: an event, a record held back behind a gap, or a block that carried only an `id:`. */
type Item = {generation: number; message?: SseMessage; record?: LogRecord; idOnly?: string; receivedAt: number};

/**
 * Turns SSE events into records delivered in order, once each. Events are handled synchronously as they
 * arrive, except while a gap is being filled from history: then later events wait in a queue, so the
 * filled lines come out before the line that revealed the gap.
 */
export class RecordSequencer {
	readonly gate: DeliveryGate;
	#decoder: Decoder | undefined;
	#dialect: Dialect | undefined;
	#unreadable = 0;
	#queue: Item[] = [];
	#filling = false;
	#minGeneration = 0;
	/**
	 * The connection that reconnected once to get a failed gap fill resent. A later connection that delivers
	 * a line shows the resume worked, and clears it: the next gap gets its own retry. A gap that comes back
	 * at once on the retry connection is reported instead of retried forever.
	 */
	#retriedOn: number | undefined;

	readonly #host: SequencerHost;
	readonly #messageText: MessageText;

	constructor(
		host: SequencerHost,
		detectGaps: boolean,
		dialect: Dialect | undefined,
		messageText: MessageText = text,
	) {
		this.#host = host;
		this.#messageText = messageText;
		this.gate = new DeliveryGate(detectGaps);
		this.#dialect = dialect;
		this.#decoder = dialect ? decoders[dialect] : undefined;
	}

	/** `receivedAt`: when the chunk that carried it came (one clock read a chunk, not one a line). */
	push(generation: number, message: SseMessage, receivedAt = Date.now()): void {
		if (this.#filling || this.#queue.length > 0) {
			this.#queue.push({generation, message, receivedAt});
		} else if (generation >= this.#minGeneration) {
			this.#decode(message, receivedAt, generation);
		}
	}

	/** A block with an `id:` and no data moves the resume point, in order with the events around it. */
	pushIdOnly(generation: number, id: string): void {
		if (this.#filling || this.#queue.length > 0) {
			this.#queue.push({generation, idOnly: id, receivedAt: Date.now()});
		} else if (generation >= this.#minGeneration) {
			this.gate.resumeAt(id);
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

		if (item.idOnly !== undefined) {
			this.gate.resumeAt(item.idOnly);
			return;
		}

		this.#decode(item.message!, item.receivedAt, item.generation);
	}

	#decode(message: SseMessage, receivedAt: number, generation: number): void {
		// Blank data carries no line in any dialect, before the dialect is known and after alike.
		if (message.data.trim() === '') {
			this.#idOf(message);
			return;
		}

		if (!this.#decoder) {
			const dialect = detectDialect(message);
			if (!dialect) {
				this.#idOf(message);
				return;
			}

			this.#dialect = dialect;
			this.#decoder = decoders[dialect];
			this.#host.dialectDetected(dialect);
		}

		let decoded = this.#decoder(message, receivedAt, this.#messageText);
		if (decoded.kind === 'unreadable') {
			decoded = this.#readAnyway(message, receivedAt);
		}

		if (decoded.kind === 'record') {
			// The resume point is the server's own id, not the record's (sanitized for the screen) copy of it.
			if (this.#offer(decoded.record, generation, receivedAt) === 'deliver') {
				this.#idOf(message);
			}
		} else {
			if (decoded.kind !== 'ignore') {
				this.#host.event(decoded);
			}

			this.#idOf(message);
		}
	}

	/** The `id:` of an event that delivered no record still sets (or, empty, clears) the resume point. */
	#idOf(message: SseMessage): void {
		if (message.id !== undefined) {
			this.gate.resumeAt(message.id);
		}
	}

	/** An event its dialect cannot read never vanishes: it is shown as the generic reading, and said once. */
	#readAnyway(message: SseMessage, receivedAt: number): Decoded {
		this.#unreadable++;
		if (this.#unreadable === 1) {
			this.#host.notice('unreadable', `an event the ${this.#dialect ?? 'detected'} dialect cannot read is shown as plain text (event ${message.event ?? 'message'})`);
		}

		return decoders.generic(message, receivedAt, this.#messageText);
	}

	#offer(record: LogRecord, generation: number, receivedAt: number): Verdict['action'] {
		const verdict = this.gate.check(record);
		if (verdict.action === 'deliver') {
			if (this.#retriedOn !== undefined && generation > this.#retriedOn) {
				this.#retriedOn = undefined;
			}

			this.gate.delivered(record);
			this.#host.deliver(record);
		} else if (verdict.action === 'duplicate') {
			this.#host.duplicate();
		} else {
			this.#queue.unshift({generation, record, receivedAt});
			void this.#fill({...verdict, beforeId: record.id, beforeSeq: record.seq!}, generation);
		}

		return verdict.action;
	}

	async #fill(gap: Gap, generation: number): Promise<void> {
		this.#filling = true;
		let got = 0;
		let failure: unknown;
		try {
			for (const record of await this.#host.fill(gap)) {
				if (this.gate.fits(record, gap.beforeSeq)) {
					this.gate.delivered(record);
					this.#host.deliver(record);
					got++;
				}
			}
		} catch (error) {
			failure = error;
		}

		this.#filling = false;
		if (failure !== undefined && this.#retriedOn === undefined) {
			// Resuming from the last delivered id makes the server send the missing range again: try that once.
			this.#retriedOn = generation;
			this.#queue = [];
			this.#host.reconnect(`could not fill a gap from history: ${describeError(failure)}`);
			return;
		}

		this.#retriedOn = undefined;
		this.#report(gap, got, failure);

		// What history lacked is gone for good: accept the line that revealed the gap as the next one.
		this.gate.skipTo(gap.runId, gap.beforeSeq - 1);
		this.#drain();
	}

	#report(gap: Gap, got: number, failure: unknown): void {
		const wanted = gap.toSeq - gap.fromSeq + 1;
		if (got > 0) {
			this.#host.gapFilled();
			this.#host.notice('gap-filled', `filled a gap of ${got} line${got === 1 ? '' : 's'} in run ${gap.runId} from history`);
		}

		if (got < wanted) {
			const why = failure === undefined ? 'not in history' : describeError(failure);
			this.#host.notice('lines-missing', `${wanted - got} line(s) of run ${gap.runId} (seq ${gap.fromSeq}-${gap.toSeq}) are missing: ${why}`);
		}
	}

	#drain(): void {
		while (this.#queue.length > 0 && !this.#filling) {
			this.#handle(this.#queue.shift()!);
		}
	}
}
