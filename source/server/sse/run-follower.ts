import type {StatusEvent} from '../../protocol/events.js';
import type {Run} from '../../protocol/record.js';
import {runOrdinal} from '../store/log-store.js';

/** Status events to send, and whether the stream ends after them (follow=false and its run completed). */
export type Step = {events: StatusEvent[]; end: boolean};

export type FollowMode =
	/** Entity streams: move to each newer run of the entity (with follow=false: stay on the first). */
	| 'entity'
	/** `?run=` streams: one run only. */
	| 'pinned'
	/** `all`: every run interleaved, so no run events at all. */
	| 'none';

// Shared answers for the common case (every live record on every stream asks): no allocation per record.
const nothing: Step = Object.freeze({events: [], end: false}) as Step;
const send: Step & {send: boolean} = Object.freeze({events: [], end: false, send: true}) as Step & {send: boolean};
const skip: Step & {send: boolean} = Object.freeze({events: [], end: false, send: false}) as Step & {send: boolean};

/**
 * Which run a stream follows, and the run-started / completed events that tell the client so. Runs
 * are announced in order, a completed run once, and with follow=false the stream ends with its run
 * instead of moving on. History replay and live records go through the same steps.
 */
export class RunFollower {
	readonly #completed = new Set<string>();

	#current: string | undefined;
	readonly #mode: FollowMode;
	readonly #follow: boolean;
	readonly #getRun: (runId: string) => Run | undefined;

	constructor(
		current: string | undefined,
		mode: FollowMode,
		follow: boolean,
		getRun: (runId: string) => Run | undefined,
	) {
		this.#current = current;
		this.#mode = mode;
		this.#follow = follow;
		this.#getRun = getRun;
	}

	get runId(): string | undefined {
		return this.#current;
	}

	/**
	 * Whether every one of these records goes out with nothing said before it (beforeRecord would say `send`
	 * to each): a stream of no run, one pinned run, or records all of the run it follows. False is no answer.
	 */
	sendsAll(records: ReadonlyArray<{runId: string}>): boolean {
		if (this.#mode !== 'entity') {
			return true;
		}

		for (const record of records) {
			if (record.runId !== this.#current) {
				return false;
			}
		}

		return true;
	}

	/** Before a record of `runId` goes out: whether to send it, and what to say first. */
	beforeRecord(runId: string): Step & {send: boolean} {
		if (this.#mode !== 'entity' || runId === this.#current || !this.#isNewer(runId)) {
			// Pinned and `all` streams get what their scope matched; a late line of an older run is still a line.
			return send;
		}

		if (!this.#follow) {
			return skip;
		}

		// Its records follow: a `completed` for it must wait until they are out.
		return {...this.#moveTo(runId, false), send: true};
	}

	/** A run of this stream's entity started (live). */
	runStarted(run: Run): Step {
		if (this.#mode !== 'entity' || !this.#follow || !this.#isNewer(run.runId)) {
			return nothing;
		}

		return this.#moveTo(run.runId, false);
	}

	/** A run completed (live). */
	runCompleted(run: Run, durationMs: number): Step {
		return this.#mode !== 'none' && run.runId === this.#current ? this.#complete(run, durationMs) : nothing;
	}

	/**
	 * After history: say `completed` if the followed run already finished, then move on to `newest` (the
	 * entity's newest run when the stream opened) if the replay did not reach it.
	 */
	settle(newest: Run | undefined): Step {
		const step = this.#settleCurrent();
		if (step.end || this.#mode !== 'entity' || !this.#follow || !newest || !this.#isNewer(newest.runId)) {
			return step;
		}

		const moved = this.#moveTo(newest.runId, true);
		return {events: [...step.events, ...moved.events], end: moved.end};
	}

	#moveTo(runId: string, settleNew: boolean): Step {
		const finished = this.#settleCurrent();
		this.#current = runId;
		const started: StatusEvent = {type: 'status', status: 'run-started', runId};
		const now = settleNew ? this.#settleCurrent() : nothing;
		return {events: [...finished.events, started, ...now.events], end: now.end};
	}

	#settleCurrent(): Step {
		const run = this.#current === undefined ? undefined : this.#getRun(this.#current);
		if (!run || run.status === 'running' || run.finishedAt === undefined) {
			return nothing;
		}

		return this.#complete(run, Date.parse(run.finishedAt) - Date.parse(run.startedAt));
	}

	#complete(run: Run, durationMs: number): Step {
		if (this.#completed.has(run.runId) || run.status === 'running') {
			return nothing;
		}

		this.#completed.add(run.runId);
		return {events: [{type: 'status', status: 'completed', runId: run.runId, result: run.status, durationMs}], end: !this.#follow};
	}

	#isNewer(runId: string): boolean {
		return this.#current === undefined || runOrdinal(runId) > runOrdinal(this.#current);
	}
}
