import {historyReader} from '../client/history.js';
import {fetchRuns, RunsRequestError} from '../client/runs.js';
import {count} from '../model/count-text.js';
import {ENTITY_ID} from '../protocol/record.js';
import {ENTITY_ID_RULE, formatStreamName, type StreamRef} from '../protocol/streams.js';
import {UsageError} from '../errors.js';

/** `--run`: a run id, or how many runs back from the newest (`previous` is 1). */
export type RunChoice = {back: number; id?: undefined} | {id: string; back?: undefined};

/** Runs back a `--run N` may reach: the run list is read a page of 1,000 at a time, so this is a few pages. */
export const MAX_RUNS_BACK = 10_000;
const RUNS_PAGE = 1000;

/**
 * `previous`, a number of runs back (`0` the newest, `1` the same as `previous`), or a run id. A run id
 * made of digits only is read as a number: `?run=` on the source names such a run.
 */
export function parseRunChoice(text: string): RunChoice {
	const value = text.trim();
	if (value === 'previous') {
		return {back: 1};
	}

	if (/^\d+$/.test(value)) {
		const back = Number(value);
		if (back > MAX_RUNS_BACK) {
			throw new UsageError(`--run ${value}: at most ${count(MAX_RUNS_BACK)} runs back`);
		}

		return {back};
	}

	if (!ENTITY_ID.test(value)) {
		throw new UsageError(`--run wants previous, a number of runs back, or a run id (${ENTITY_ID_RULE}), got "${value}"`);
	}

	return {id: value};
}

export type RunLookup = {server: string; token?: string; tokenCommand?: string};

/**
 * The stream name of `ref` pinned to the chosen run. A run id is pinned as it is (the server says 404 if the
 * run is not the entity's). Runs back are counted in the run list of the automation or pipeline; a task's or
 * artifact's is found from its newest line (which names its automation or pipeline), and the task is then
 * read in that run.
 */
export async function pinRun(ref: StreamRef, choice: RunChoice, lookup: RunLookup): Promise<string> {
	if (ref.kind === 'all') {
		throw new UsageError('--run needs an automation, task, pipeline or artifact: "all" mixes every run');
	}

	if (ref.run !== undefined) {
		throw new UsageError(`the source already names run ${ref.run}: give --run or ?run=, not both`);
	}

	if (choice.id !== undefined) {
		return formatStreamName({...ref, run: choice.id});
	}

	try {
		const owner = await ownerOf(ref, lookup);
		const runId = await runBack(owner, choice.back, lookup);
		return formatStreamName({...ref, run: runId});
	} catch (error) {
		// The server's refusal (a 404, a bad token), no server, an answer that is not a page: each already one line.
		if (error instanceof UsageError || !(error instanceof Error)) {
			throw error;
		}

		throw new UsageError(error instanceof RunsRequestError ? error.message : `cannot find the run: ${error.message}`);
	}
}

type Owner = {kind: 'automation' | 'pipeline'; id: string};

async function ownerOf(ref: StreamRef, lookup: RunLookup): Promise<Owner> {
	if (ref.kind === 'automation' || ref.kind === 'pipeline') {
		return {kind: ref.kind, id: ref.id!};
	}

	const reader = historyReader({source: formatStreamName(ref), ...lookup, runs: 'current'})!;
	const [newest] = (await reader.before(undefined, 1)).records;
	const owner = newest?.automationId === undefined ? (newest?.pipelineId === undefined ? undefined : {kind: 'pipeline' as const, id: newest.pipelineId}) : {kind: 'automation' as const, id: newest.automationId};
	if (!owner) {
		throw new UsageError(`${formatStreamName(ref)} has logged nothing yet: no run to count back from`);
	}

	return owner;
}

async function runBack(owner: Owner, back: number, lookup: RunLookup): Promise<string> {
	let before: string | undefined;
	let seen = 0;
	for (;;) {
		const page = await fetchRuns({...lookup, ...owner, before, limit: Math.min(RUNS_PAGE, back - seen + 1)});
		const run = page.runs[back - seen];
		if (run) {
			if (typeof run.runId !== 'string' || !ENTITY_ID.test(run.runId)) {
				throw new UsageError(`the server listed a run whose id is not one (${ENTITY_ID_RULE})`);
			}

			return run.runId;
		}

		seen += page.runs.length;
		if (page.next === null || page.runs.length === 0) {
			const runs = seen === 1 ? 'one run' : `${count(seen)} runs`;
			throw new UsageError(`${owner.kind}/${owner.id} has ${runs}: none is ${back === 1 ? 'before the newest' : `${back} back`}`);
		}

		before = page.next;
	}
}
