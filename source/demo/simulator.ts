import type {TaskState} from '../protocol/api.js';
import type {IngestService} from '../server/ingest/ingest-service.js';
import type {NewLine} from '../server/store/types.js';
import {DEMO_ENTITIES, demoLine, demoStackTrace, randomInt, type DemoEntity, type Random} from './workload.js';

export type SimulatorOptions = {
	/** Lines per second over all entities (default 20). */
	rate?: number;
	random?: Random;
	/** Where failures of the simulator itself are reported. */
	log?: (line: string) => void;
};

type Actor = {
	entity: DemoEntity;
	runId?: string;
	child: number;
	linesLeft: number;
	fails: boolean;
	idleUntil: number;
	/** A step ends no sooner than this, however fast its lines came: a burst must not finish a run in 2 ms. */
	stepUntil: number;
};

const TICK_MS = 100;
const MIN_STEP_MS = 2000;

/**
 * Makes the catalog look like a live platform: runs start, log, finish (some fail) and start again. Each
 * step is reported `running` as it starts and with its result as it ends; the steps after a failed (or
 * cancelled) one are reported `skipped`. Every line and report goes through IngestService, the same path as
 * HTTP ingest, so demo lines are real lines.
 */
export class Simulator {
	readonly #rate: number;
	readonly #random: Random;
	readonly #actors: Actor[];
	readonly #log: (line: string) => void;
	#timer: NodeJS.Timeout | undefined;
	#budget = 0;
	/** The tick in progress: writes are async, and a tick must not start while the last one still writes. */
	#ticking: Promise<void> | undefined;
	#stopped = false;

	readonly #ingest: IngestService;

	constructor(
		ingest: IngestService,
		options: SimulatorOptions = {},
	) {
		this.#ingest = ingest;
		this.#rate = options.rate ?? 20;
		this.#random = options.random ?? Math.random;
		this.#log = options.log ?? ((line) => process.stderr.write(`dbtail demo: ${line}\n`));
		this.#actors = DEMO_ENTITIES.map((entity) => ({entity, child: 0, linesLeft: 0, fails: false, idleUntil: 0, stepUntil: 0}));
	}

	/**
	 * Starts the workload; resolves once the first step is stored, so that runs exist from the first moment
	 * and a client that connects right after "listening" finds them (on SQLite they exist when this returns).
	 */
	async start(): Promise<void> {
		if (this.#timer) {return;}
		this.#stopped = false;
		// A server killed under the workload (kill -9) left its runs open: they would say `running` forever.
		await this.#cancelLeftovers();
		const first = this.#tickOnce(Date.now());
		this.#timer = setInterval(() => void this.#tickOnce(Date.now()), TICK_MS);
		await first;
	}

	async #cancelLeftovers(): Promise<void> {
		for (const actor of this.#actors) {
			const left = await this.#safely(async () => this.#ingest.currentRun(actor.entity.kind, actor.entity.id));
			if (left?.status === 'running') {
				await this.#safely(async () => this.#ingest.finish(left.runId, 'cancelled'));
			}
		}
	}

	/**
	 * Stops, and marks the runs it left open as cancelled, so nothing stays "running" forever. On SQLite the
	 * cancellations are stored before this returns (its writes are synchronous); on PostgreSQL await it.
	 */
	async stop(): Promise<void> {
		clearInterval(this.#timer);
		this.#timer = undefined;
		this.#stopped = true;
		// A tick still writing (PostgreSQL) may yet start a run: let it end, then cancel what is open.
		if (this.#ticking) {await this.#ticking;}
		const finishing: Array<Promise<unknown>> = [];
		for (const actor of this.#actors) {
			const {runId} = actor;
			if (runId) {
				finishing.push(
					(async () => {
						await this.#endSteps(actor, runId, 'cancelled');
						await this.#safely(async () => this.#ingest.finish(runId, 'cancelled'));
					})(),
				);
			}

			actor.runId = undefined;
		}

		await Promise.all(finishing);
	}

	async #tickOnce(now: number): Promise<void> {
		if (this.#ticking || this.#stopped) {return;}
		this.#ticking = this.tick(now).finally(() => {
			this.#ticking = undefined;
		});
		return this.#ticking;
	}

	/** One step of the workload at time `now`; public so tests can drive it without waiting. */
	async tick(now: number): Promise<void> {
		for (const actor of this.#actors) {
			if (!actor.runId && now >= actor.idleUntil) {await this.#startRun(actor, now);}
		}

		const active = this.#actors.filter((actor) => actor.runId);
		if (active.length === 0) {return;}
		this.#budget += (this.#rate * TICK_MS) / 1000;
		const batches = new Map<Actor, NewLine[]>();
		for (; this.#budget >= 1; this.#budget--) {
			const actor = active[Math.floor(this.#random() * active.length)]!;
			// Now and then a burst: a step dumps a screenful at once.
			const count = this.#random() < 0.01 ? randomInt(this.#random, 30, 80) : 1;
			const lines = batches.get(actor) ?? [];
			for (let i = 0; i < count; i++) {lines.push(this.#line(actor, demoLine(this.#random, this.#childId(actor))));}
			batches.set(actor, lines);
		}

		for (const [actor, lines] of batches) {
			if (!actor.runId) {continue;}
			await this.#safely(async () => this.#ingest.append(actor.runId!, lines));
			actor.linesLeft -= lines.length;
			if (actor.linesLeft <= 0 && now >= actor.stepUntil) {await this.#advance(actor, now);}
		}
	}

	async #startRun(actor: Actor, now: number): Promise<void> {
		const run = (await this.#safely(async () => this.#ingest.startRun(actor.entity.kind, actor.entity.id, actor.entity.name)))?.value;
		if (!run) {return;}
		actor.runId = run.runId;
		actor.child = 0;
		this.#startStep(actor, now);
		actor.fails = this.#random() < 0.15;
		// A runner announces its plan first, as real ones do; it also puts every step in the catalog at once. The
		// steps it names there and has not reported running read as `queued` (derived), not as running.
		const {children} = actor.entity;
		const plan = children.map((childId, index) => ({
			level: 'INFO' as const,
			message: `Step ${index + 1} of ${children.length}: ${childId} queued`,
			stream: 'stdout',
			childId,
			timestamp: new Date().toISOString(),
		}));
		await this.#safely(async () => this.#ingest.append(run.runId, plan));
		await this.#report(run.runId, this.#childId(actor), 'running');
	}

	async #advance(actor: Actor, now: number): Promise<void> {
		const last = actor.child === actor.entity.children.length - 1;
		const runId = actor.runId!;
		if (actor.fails && (last || this.#random() < 0.5)) {
			await this.#safely(async () => this.#ingest.append(runId, [this.#line(actor, demoStackTrace(this.#random, this.#childId(actor)))]));
			await this.#endSteps(actor, runId, 'failed');
			await this.#endRun(actor, 'failed', now);
		} else if (last) {
			await this.#report(runId, this.#childId(actor), 'succeeded');
			await this.#endRun(actor, 'succeeded', now);
		} else {
			await this.#report(runId, this.#childId(actor), 'succeeded');
			actor.child++;
			this.#startStep(actor, now);
			await this.#report(runId, this.#childId(actor), 'running');
		}
	}

	/** The step under way ends with the run (`failed`, `cancelled`); the steps after it never ran. */
	async #endSteps(actor: Actor, runId: string, result: 'failed' | 'cancelled'): Promise<void> {
		const {children} = actor.entity;
		await this.#report(runId, children[actor.child]!, result);
		for (const childId of children.slice(actor.child + 1)) {await this.#report(runId, childId, 'skipped');}
	}

	async #report(runId: string, childId: string, state: TaskState): Promise<void> {
		await this.#safely(async () => this.#ingest.reportTask(runId, childId, state));
	}

	#startStep(actor: Actor, now: number): void {
		actor.linesLeft = randomInt(this.#random, 20, 70);
		actor.stepUntil = now + MIN_STEP_MS;
	}

	async #endRun(actor: Actor, result: 'succeeded' | 'failed', now: number): Promise<void> {
		const runId = actor.runId!;
		actor.runId = undefined;
		await this.#safely(async () => this.#ingest.finish(runId, result));
		actor.idleUntil = now + randomInt(this.#random, 2000, 6000);
	}

	#childId(actor: Actor): string {
		return actor.entity.children[actor.child]!;
	}

	#line(actor: Actor, line: {level: NewLine['level']; message: string; stream: string}): NewLine {
		return {...line, childId: this.#childId(actor), timestamp: new Date().toISOString()};
	}

	async #safely<T>(action: () => Promise<T>): Promise<T | undefined> {
		try {
			return await action();
		} catch (error) {
			this.#log(`simulator step failed: ${(error as Error).message}`);
			return undefined;
		}
	}
}
