import type {LogRecord} from '../protocol/record.js';
import {isNewer} from './ids.js';

/**
 * Decides, record by record, what may be delivered: nothing twice (ids only grow; within a run, seq only
 * grows) and nothing skipped (a seq jump within a run is a gap to fill first).
 */
export type Verdict =
	| {action: 'deliver'}
	| {action: 'duplicate'}
	| {action: 'gap'; runId: string; afterId?: string; fromSeq: number; toSeq: number};

type RunMark = {seq: number; id?: string};

// The two verdicts nearly every record gets, made once rather than once a record.
const DELIVER: Verdict = {action: 'deliver'};
const DUPLICATE: Verdict = {action: 'duplicate'};

// One entry per run seen; a stream left open for weeks on `all` must not grow without bound.
const MAX_RUNS = 10_000;

export class DeliveryGate {
	/** The resume point: the highest id delivered. */
	lastId: string | undefined;
	/** Some delivered record carried an id, so the stream can resume; a reset does not change that. */
	carriesIds = false;
	readonly #runs = new Map<string, RunMark>();

	/** `detectGaps` only where a stream carries every record of its runs (no level floor, not a task). */
	constructor(readonly detectGaps: boolean) {}

	check(record: LogRecord): Verdict {
		if (record.id !== undefined && !isNewer(record.id, this.lastId)) {
			return DUPLICATE;
		}

		if (record.runId === undefined || record.seq === undefined) {
			return DELIVER;
		}

		const mark = this.#runs.get(record.runId);
		if (mark && record.seq <= mark.seq) {
			return DUPLICATE;
		}

		if (this.detectGaps && mark && record.seq > mark.seq + 1) {
			return {action: 'gap', runId: record.runId, afterId: mark.id, fromSeq: mark.seq + 1, toSeq: record.seq - 1};
		}

		return DELIVER;
	}

	/** For records fetched to fill a gap: only the run's seq decides (their ids are below the resume point). */
	fits(record: LogRecord, beforeSeq: number): boolean {
		const mark = record.runId === undefined ? undefined : this.#runs.get(record.runId);
		return record.seq !== undefined && record.seq < beforeSeq && (!mark || record.seq > mark.seq);
	}

	delivered(record: LogRecord): void {
		if (record.id !== undefined) {
			this.carriesIds = true;
			if (isNewer(record.id, this.lastId)) {
				this.lastId = record.id;
			}
		}

		if (record.runId !== undefined && record.seq !== undefined) {
			const mark = this.#runs.get(record.runId);
			if (mark) {
				// The common case, once per record: no Map reshuffle.
				mark.seq = record.seq;
				mark.id = record.id;
			} else {
				this.#mark(record.runId, {seq: record.seq, id: record.id});
			}
		}
	}

	/**
	 * An `id:` the server sent on an event that is not a record (or on a block with no data): the spec makes
	 * it the resume point. It only moves forward here, so a line is never shown twice; an empty id is the
	 * server saying "forget it": the next connection sends no Last-Event-ID.
	 */
	resumeAt(id: string): void {
		if (id === '') {
			this.lastId = undefined;
			return;
		}

		this.carriesIds = true;
		if (isNewer(id, this.lastId)) {
			this.lastId = id;
		}
	}

	/** A run that starts now is followed from seq 1, so a missing first line is a gap too. */
	runStarted(runId: string): void {
		if (!this.#runs.has(runId)) {
			this.#mark(runId, {seq: 0});
		}
	}

	/** History was purged: the next record of every run is a new starting point, not a gap. */
	forgetRuns(): void {
		this.#runs.clear();
	}

	/** A gap that history could not (fully) fill: go on from `seq` instead of asking again. */
	skipTo(runId: string, seq: number): void {
		const mark = this.#runs.get(runId);
		if (!mark || mark.seq < seq) {
			this.#mark(runId, {seq, id: mark?.id});
		}
	}

	/**
	 * The store was recreated (epoch change): ids and run ids start over, so `r-1` may be a new run whose
	 * seqs repeat the old one's. Nothing delivered before says anything about what comes now.
	 */
	reset(): void {
		this.lastId = undefined;
		this.forgetRuns();
	}

	#mark(runId: string, mark: RunMark): void {
		this.#runs.delete(runId);
		this.#runs.set(runId, mark);
		if (this.#runs.size > MAX_RUNS) {
			this.#runs.delete(this.#runs.keys().next().value!);
		}
	}
}
